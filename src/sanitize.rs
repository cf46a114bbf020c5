//! Text from outside (the cluster, command output) is untrusted: strip control
//! characters and escape sequences before it reaches the terminal or journal.

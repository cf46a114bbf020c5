//! The model: the one state, the messages that change it, the effects it
//! asks the shell for, the work in flight, and the screen's layout. It
//! depends on neither the views nor the shell; `update` is the only code
//! that changes it.

pub mod effect;
pub mod layout;
pub mod msg;
pub mod notices;
pub mod state;
pub mod work;

pub use effect::Effect;
pub use msg::{Msg, RequestId};
pub use state::{Banner, BannerLevel, PanesView, Selected, State};
pub use work::{ActionRun, CommandRun, Work};

//! Memory management: physical frames, page tables, address spaces, the
//! kernel heap, and (later) regions and the page-fault decision.

pub mod addr;
pub mod layout;
#[cfg(target_os = "none")]
pub mod heap;

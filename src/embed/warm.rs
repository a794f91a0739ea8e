//! The spare host frame a client keeps booted for its next challenge: made hidden
//! a task after `load` or a call settled, once no call runs (the glue decides
//! when; a call made at once goes first), handed to a challenge only
//! once it has said ready and the browser moved it into the challenge UI without
//! reloading it (`moveBefore`). Otherwise the challenge makes a fresh frame and the
//! spare stays for next time. Pure: the DOM glue makes and moves the frames.

/// The spare frame, if any, and whether it has said ready.
pub struct Warm<F> {
    frame: Option<F>,
    ready: bool,
}

impl<F> Default for Warm<F> {
    fn default() -> Self {
        Self { frame: None, ready: false }
    }
}

impl<F> Warm<F> {
    /// Whether to make a spare now: none kept, and the client not destroyed.
    pub fn wanted(&self, destroyed: bool) -> bool {
        !destroyed && self.frame.is_none()
    }

    /// Keeps a new spare, still booting.
    pub fn boot(&mut self, frame: F) {
        self.frame = Some(frame);
        self.ready = false;
    }

    /// The spare, to tell its messages from others'.
    pub fn frame(&self) -> Option<&F> {
        self.frame.as_ref()
    }

    /// The spare said ready.
    pub fn set_ready(&mut self) {
        self.ready = self.frame.is_some();
    }

    /// Hands the spare to a challenge: only once it is ready, and only if `moved`
    /// (the glue moving it into the challenge UI) succeeds; else it stays here.
    pub fn hand_over(&mut self, moved: impl FnOnce(&F) -> bool) -> Option<F> {
        if !self.ready || !moved(self.frame.as_ref()?) {
            return None;
        }
        self.take()
    }

    /// Takes the spare out, ready or not (`destroy`).
    pub fn take(&mut self) -> Option<F> {
        self.ready = false;
        self.frame.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spare_is_wanted_when_there_is_none_and_the_client_lives() {
        let mut warm = Warm::default();
        assert!(warm.wanted(false));
        assert!(!warm.wanted(true), "never while destroyed");
        warm.boot("spare");
        assert!(!warm.wanted(false), "one at most");
        assert_eq!(warm.take(), Some("spare"));
        assert!(warm.wanted(false));
        assert_eq!(warm.take(), None);
    }

    #[test]
    fn only_a_ready_spare_is_handed_over() {
        let mut warm = Warm::default();
        assert_eq!(warm.hand_over(|_| panic!("no spare to move")), None);
        warm.boot("spare");
        assert_eq!(warm.hand_over(|_| panic!("a booting spare is not moved")), None);
        assert_eq!(warm.frame(), Some(&"spare"), "it stays for next time");
        warm.set_ready();
        assert_eq!(warm.hand_over(|frame| *frame == "spare"), Some("spare"));
        assert_eq!(warm.frame(), None, "the challenge owns it now");
        assert!(warm.wanted(false));
    }

    #[test]
    fn a_spare_that_cannot_be_moved_stays_ready() {
        let mut warm = Warm::default();
        warm.boot("spare");
        warm.set_ready();
        assert_eq!(warm.hand_over(|_| false), None, "no moveBefore, or it threw");
        assert_eq!(warm.hand_over(|_| true), Some("spare"), "still ready for the next challenge");
    }

    #[test]
    fn a_new_spare_starts_unready() {
        let mut warm = Warm::default();
        warm.set_ready();
        warm.boot("first");
        assert_eq!(warm.hand_over(|_| true), None, "a ready before any spare does not count");
        warm.set_ready();
        warm.take();
        warm.boot("second");
        assert_eq!(warm.hand_over(|_| true), None, "the last spare's ready does not carry over");
    }
}

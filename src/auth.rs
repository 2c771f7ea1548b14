//! The wasm facade's awaitable view of a [`session::Session`]: the cached
//! code, and futures that wait on the one authentication in flight (the session's single-flight rule
//! decides who leads). It goes when the facade drives [`crate::exchange::Exchange`].

use crate::error::Error;
use crate::session::{self, FlightId};
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

pub use crate::session::{skew_correction, SKEW_THRESHOLD_SECS};

/// The outcome of one authentication, shared by everyone who waited on it.
pub type AuthResult = Result<Rc<str>, Error>;

enum FlightState {
    Running(Vec<Waker>),
    Done(AuthResult),
}

/// One authentication in progress.
struct Flight(RefCell<FlightState>);

/// The caller's role in an authentication.
pub enum Role {
    /// Another call is authenticating: await this.
    Follow(Wait),
    /// Nobody is: authenticate, then hand the result to [`Lead::finish`].
    Lead(Lead),
}

/// A future that resolves when the flight it follows finishes.
pub struct Wait(Rc<Flight>);

impl Future for Wait {
    type Output = AuthResult;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<AuthResult> {
        let mut state = self.0 .0.borrow_mut();
        match &mut *state {
            FlightState::Done(result) => Poll::Ready(result.clone()),
            FlightState::Running(wakers) => {
                if !wakers.iter().any(|w| w.will_wake(cx.waker())) {
                    wakers.push(cx.waker().clone());
                }
                Poll::Pending
            }
        }
    }
}

/// The leader's obligation to finish the flight; dropping it unfinished fails every follower.
pub struct Lead {
    session: Rc<Session>,
    flight: Rc<Flight>,
    id: FlightId,
    finished: bool,
}

impl Lead {
    /// A wait on this flight, for the caller that started it (the flight itself runs detached, so
    /// that a caller who gives up does not abandon the others).
    pub fn follow(&self) -> Wait {
        Wait(self.flight.clone())
    }

    /// Publishes the result: caches the code on success, wakes every follower; returns the result.
    pub fn finish(mut self, result: AuthResult) -> AuthResult {
        self.finished = true;
        self.publish(result.clone());
        result
    }

    fn publish(&self, result: AuthResult) {
        let shared = result.clone().map(|code| std::sync::Arc::from(&*code));
        self.session.state.borrow_mut().settle(self.id, shared);
        self.session.flight.borrow_mut().take();
        let previous =
            std::mem::replace(&mut *self.flight.0.borrow_mut(), FlightState::Done(result));
        if let FlightState::Running(wakers) = previous {
            wakers.into_iter().for_each(Waker::wake);
        }
    }
}

impl Drop for Lead {
    fn drop(&mut self) {
        if !self.finished {
            self.publish(Err(Error::new(
                crate::error::ErrorKind::Abort,
                "authentication was abandoned",
            )));
        }
    }
}

/// A client's auth state, as the facade awaits it.
#[derive(Default)]
pub struct Session {
    state: RefCell<session::Session>,
    flight: RefCell<Option<Rc<Flight>>>,
}

impl Session {
    /// The cached auth code, if any.
    pub fn code(&self) -> Option<Rc<str>> {
        self.state.borrow().code().map(|code| Rc::from(&*code))
    }

    /// Drops the cached code if it is still `used` (a 401 for an older code must not drop a newer one).
    pub fn invalidate(&self, used: &str) {
        self.state.borrow_mut().invalidate(used);
    }

    /// The authentication in progress, if any, without starting one.
    pub fn pending(&self) -> Option<Wait> {
        self.flight.borrow().as_ref().map(|f| Wait(f.clone()))
    }

    /// Join the authentication in progress, or lead a new one.
    pub fn join_or_lead(self: &Rc<Self>) -> Role {
        let joined = self.state.borrow_mut().join_or_lead();
        if let (Err(_), Some(flight)) = (joined, self.flight.borrow().as_ref()) {
            return Role::Follow(Wait(flight.clone()));
        }
        let id = joined.unwrap_or_else(|id| id);
        let flight = Rc::new(Flight(RefCell::new(FlightState::Running(Vec::new()))));
        *self.flight.borrow_mut() = Some(flight.clone());
        Role::Lead(Lead {
            session: self.clone(),
            flight,
            id,
            finished: false,
        })
    }

    /// Seconds to add to the local clock for the auth `date`.
    pub fn clock_offset(&self) -> i64 {
        self.state.borrow().clock_offset()
    }

    /// Records a measured clock offset.
    pub fn set_clock_offset(&self, secs: i64) {
        let mut state = self.state.borrow_mut();
        let change = secs - state.clock_offset();
        state.correct_clock(change);
    }
}

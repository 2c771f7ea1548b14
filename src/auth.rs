//! The auth-code session: the cached code, single-flight authentication (one auth call however many
//! requests wait on it), and clock-skew correction from the server's `Date`.

use crate::error::Error;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// LuxSci refuses an auth `date` this far from its own clock (as the sandbox does; LuxSci's exact
/// window is not published). A clock difference above [`SKEW_THRESHOLD_SECS`] is corrected once.
pub const SKEW_THRESHOLD_SECS: i64 = 30;

/// The offset to add to the local clock, when the server's `Date` shows the local clock is off by
/// more than [`SKEW_THRESHOLD_SECS`] at the time `sent_date` was sent.
pub fn skew_correction(sent_date: i64, server_date: i64) -> Option<i64> {
    let diff = server_date - sent_date;
    (diff.abs() > SKEW_THRESHOLD_SECS).then_some(diff)
}

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
        if let Ok(code) = &result {
            *self.session.code.borrow_mut() = Some(code.clone());
        }
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

/// A client's auth state.
#[derive(Default)]
pub struct Session {
    code: RefCell<Option<Rc<str>>>,
    flight: RefCell<Option<Rc<Flight>>>,
    clock_offset: Cell<i64>,
}

impl Session {
    /// The cached auth code, if any.
    pub fn code(&self) -> Option<Rc<str>> {
        self.code.borrow().clone()
    }

    /// Drops the cached code if it is still `used` (a 401 for an older code must not drop a newer one).
    pub fn invalidate(&self, used: &str) {
        let mut code = self.code.borrow_mut();
        if code.as_deref() == Some(used) {
            *code = None;
        }
    }

    /// Forgets the cached code unconditionally (after revocation).
    pub fn clear(&self) {
        self.code.borrow_mut().take();
    }

    /// The authentication in progress, if any, without starting one.
    pub fn pending(&self) -> Option<Wait> {
        self.flight.borrow().as_ref().map(|f| Wait(f.clone()))
    }

    /// Join the authentication in progress, or lead a new one.
    pub fn join_or_lead(self: &Rc<Self>) -> Role {
        if let Some(flight) = self.flight.borrow().as_ref() {
            return Role::Follow(Wait(flight.clone()));
        }
        let flight = Rc::new(Flight(RefCell::new(FlightState::Running(Vec::new()))));
        *self.flight.borrow_mut() = Some(flight.clone());
        Role::Lead(Lead {
            session: self.clone(),
            flight,
            finished: false,
        })
    }

    /// Seconds to add to the local clock for the auth `date`.
    pub fn clock_offset(&self) -> i64 {
        self.clock_offset.get()
    }

    /// Records a measured clock offset.
    pub fn set_clock_offset(&self, secs: i64) {
        self.clock_offset.set(secs);
    }
}

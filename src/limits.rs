//! Pre-flight checks of LuxSci's documented sendEmail limits, so that a call that would be refused is
//! refused before anything is uploaded. Dedicated servers may raise the limits: they are options.

use crate::error::Error;
use crate::text::text;

/// The limits in force for a client.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SendLimits {
    /// Messages per call (documented: 1000).
    pub max_messages: u32,
    /// Recipients (to + cc + bcc) per message (documented: 100).
    pub max_recipients_per_message: u32,
    /// Recipients across a call (documented: 1000).
    pub max_recipients_per_call: u32,
    /// The sender's SMTP message size limit in bytes, when known: a message's raw subject + body +
    /// attachments must be at most 66% of it.
    pub smtp_size_limit: Option<f64>,
}

impl Default for SendLimits {
    fn default() -> Self {
        SendLimits {
            max_messages: 1000,
            max_recipients_per_message: 100,
            max_recipients_per_call: 1000,
            smtp_size_limit: None,
        }
    }
}

/// What the check needs to know of one message.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MessageSize {
    /// to + cc + bcc.
    pub recipients: u32,
    /// Raw bytes of subject, body and attachments whose content is at hand.
    pub raw_bytes: f64,
}

/// The fraction of the SMTP limit a message may use (encoding bloats it to 140–150%).
pub const SIZE_FRACTION: f64 = 0.66;

/// Checks a call's messages and priority against `limits`.
pub fn check(
    limits: &SendLimits,
    messages: &[MessageSize],
    priority: Option<f64>,
) -> Result<(), Error> {
    if messages.is_empty() || messages.len() as u64 > u64::from(limits.max_messages) {
        return Err(Error::validation(text!(
            "sendEmail takes 1 to ",
            limits.max_messages,
            " messages per call; got ",
            messages.len()
        )));
    }
    let mut total: u64 = 0;
    for (i, m) in messages.iter().enumerate() {
        if m.recipients == 0 || m.recipients > limits.max_recipients_per_message {
            return Err(Error::validation(text!(
                "message ",
                i,
                " has ",
                m.recipients,
                " recipients; each message needs 1 to ",
                limits.max_recipients_per_message,
                " (to + cc + bcc)"
            )));
        }
        total += u64::from(m.recipients);
        if let Some(limit) = limits.smtp_size_limit {
            let allowed = crate::float::floor(limit * SIZE_FRACTION);
            if m.raw_bytes > allowed {
                return Err(Error::validation(text!(
                    "message ",
                    i,
                    " is ",
                    m.raw_bytes as u64,
                    " bytes (subject + body + attachments); the limit is 66% of the SMTP size limit, ",
                    allowed as u64,
                    " bytes"
                )));
            }
        }
    }
    if total > u64::from(limits.max_recipients_per_call) {
        return Err(Error::validation(text!(
            "a sendEmail call may have at most ",
            limits.max_recipients_per_call,
            " recipients in all; got ",
            total
        )));
    }
    check_priority(priority)
}

/// The recipients in a comma-separated address list (`"a@x, b@y"`); an array counts one per entry.
pub fn count_addresses(list: &str) -> u32 {
    list.split(',').filter(|a| !a.trim().is_empty()).count() as u32
}

/// `priority` must be an integer from 0 to 9 when given.
pub fn check_priority(priority: Option<f64>) -> Result<(), Error> {
    match priority {
        Some(p) if !(crate::float::floor(p) == p && (0.0..=9.0).contains(&p)) => {
            Err(Error::validation("priority must be an integer from 0 to 9"))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(recipients: u32, raw_bytes: f64) -> MessageSize {
        MessageSize {
            recipients,
            raw_bytes,
        }
    }

    #[test]
    fn configured_limits_replace_the_documented_ones() {
        let raised = SendLimits {
            max_messages: 2000,
            max_recipients_per_message: 500,
            max_recipients_per_call: 5000,
            smtp_size_limit: None,
        };
        assert!(check(&raised, &vec![one(2, 0.0); 2000], None).is_ok());
        assert!(check(&raised, &vec![one(1, 0.0); 2001], None).is_err());
        assert!(check(&raised, &[one(500, 0.0)], None).is_ok());
        assert!(check(&raised, &[one(501, 0.0)], None).is_err());
        assert!(check(&raised, &[one(500, 0.0); 11], None).is_err());
        let lowered = SendLimits {
            max_messages: 1,
            ..SendLimits::default()
        };
        assert!(check(&lowered, &[one(1, 0.0), one(1, 0.0)], None).is_err());
    }

    #[test]
    fn priority_must_be_a_finite_integer_from_0_to_9() {
        for ok in [None, Some(0.0), Some(9.0), Some(-0.0)] {
            assert_eq!(check_priority(ok), Ok(()), "{ok:?}");
        }
        for bad in [f64::NAN, f64::INFINITY, -1.0, 9.5, 10.0] {
            assert!(check_priority(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_size_rule_is_66_percent_rounded_down() {
        let limits = SendLimits {
            smtp_size_limit: Some(1001.0),
            ..SendLimits::default()
        };
        assert!(check(&limits, &[one(1, 660.0)], None).is_ok());
        let err = check(&limits, &[one(1, 0.0), one(1, 661.0)], None).err();
        let message = err.map(|e| e.message).unwrap_or_default();
        assert!(message.starts_with("message 1 is 661 bytes"), "{message}");
        assert!(message.ends_with("660 bytes"), "{message}");
    }
}

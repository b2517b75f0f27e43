//! Call records and the call-tracker webhooks (seed, "Call Masking" / "Call Trackers"):
//! the payloads ZIWO sends to the integrator's server and the answer it expects. Plain
//! Rust, so that a Rust server can use them; with the `serde` feature they (de)serialise
//! with ZIWO's field names.
//!
//! ```
//! use ziwo_webphone::core::webhooks::{StartCall, StartCallAnswer, Rule};
//! let request = StartCall::from_form("didCalled=061234567").unwrap();
//! let answer = StartCallAnswer::new(&request.did_called, vec![Rule::call("0505874603", "042789926", 10)]);
//! assert_eq!(answer.content.rules[0].action, "call");
//! ```

use super::error::Error;
#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// The start-call request: ZIWO posts the called number (a form field `didCalled`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct StartCall {
    /// The number the customer dialled.
    #[cfg_attr(feature = "serde", serde(rename = "didCalled"))]
    pub did_called: String,
}

impl StartCall {
    /// Reads the `application/x-www-form-urlencoded` body ZIWO sends.
    pub fn from_form(body: &str) -> Result<StartCall, Error> {
        for pair in body.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            if key == "didCalled" {
                let value = percent_decode(value)?;
                if value.is_empty() || value.len() > 64 || value.chars().any(char::is_control) {
                    break;
                }
                return Ok(StartCall { did_called: value });
            }
        }
        Err(Error::InvalidOption(
            "the start-call form needs a didCalled",
        ))
    }
}

fn percent_decode(text: &str) -> Result<String, Error> {
    let bad = || Error::InvalidOption("the start-call form is not valid urlencoded text");
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).ok_or_else(bad)?;
                let hex = std::str::from_utf8(hex).map_err(|_| bad())?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| bad())?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| bad())
}

/// One routing rule of the start-call answer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Rule {
    /// `call`.
    pub action: String,
    /// The number to call.
    pub number: String,
    /// The caller id to show.
    #[cfg_attr(feature = "serde", serde(rename = "callerID"))]
    pub caller_id: String,
    /// Seconds before the next rule.
    pub timeout: u32,
}

impl Rule {
    /// A `call` rule.
    pub fn call(number: &str, caller_id: &str, timeout: u32) -> Rule {
        Rule {
            action: "call".to_owned(),
            number: number.to_owned(),
            caller_id: caller_id.to_owned(),
            timeout,
        }
    }
}

/// The `content` of the start-call answer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct StartCallRules {
    /// The number called, echoed.
    #[cfg_attr(feature = "serde", serde(rename = "didCalled"))]
    pub did_called: String,
    /// The rules, tried in order.
    pub rules: Vec<Rule>,
}

/// The start-call answer: the usual envelope around the rules.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct StartCallAnswer {
    /// `true`.
    pub result: bool,
    /// The rules.
    pub content: StartCallRules,
}

impl StartCallAnswer {
    /// A successful answer.
    pub fn new(did_called: &str, rules: Vec<Rule>) -> StartCallAnswer {
        StartCallAnswer {
            result: true,
            content: StartCallRules {
                did_called: did_called.to_owned(),
                rules,
            },
        }
    }
}

/// One step of a call's flow in a CDR.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct CallFlow {
    /// The call.
    #[cfg_attr(feature = "serde", serde(rename = "callID"))]
    pub call_id: Option<String>,
    /// Step number.
    pub step: Option<u32>,
    /// Extension name.
    pub extension_name: Option<String>,
    /// Extension number.
    pub extension_number: Option<String>,
    /// Transferred at this step.
    pub transfered: Option<bool>,
    /// Hung up at this step.
    pub hangup: Option<bool>,
}

/// A call detail record: what `GET /callHistory/{id}` returns and what the end-call
/// webhook posts. Every field is optional: ZIWO's records vary by call type.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct Cdr {
    /// The call's id (a UUID).
    #[cfg_attr(feature = "serde", serde(rename = "callID"))]
    pub call_id: Option<String>,
    /// The record's id (`46`, `"46:5196"`).
    pub id: Option<super::responses::Id>,
    /// `inbound`, `outbound`...
    pub direction: Option<String>,
    /// Seconds.
    pub duration: Option<f64>,
    /// Seconds on hold.
    pub hold_time: Option<f64>,
    /// `NORMAL_CLEARING`...
    pub hangup_cause: Option<String>,
    /// Who hung up.
    pub hangup_by: Option<String>,
    /// `ANSWER`, `NO ANSWER`...
    pub disposition: Option<String>,
    /// The recording's file name (`<callID>.mp3`).
    pub recording_file: Option<String>,
    /// The caller's number.
    #[cfg_attr(feature = "serde", serde(rename = "callerIDNumber"))]
    pub caller_id_number: Option<String>,
    /// The caller's name.
    #[cfg_attr(feature = "serde", serde(rename = "callerIDName"))]
    pub caller_id_name: Option<String>,
    /// The number called.
    pub did_called: Option<String>,
    /// The agent's login.
    #[cfg_attr(feature = "serde", serde(rename = "agentCCLogin"))]
    pub agent_cc_login: Option<String>,
    /// ISO dates.
    pub start_date_time: Option<String>,
    /// ISO date of the answer.
    pub answered_date_time: Option<String>,
    /// ISO date of the end.
    pub end_date_time: Option<String>,
    /// The call's flow.
    pub call_flows: Vec<CallFlow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_call_form() {
        assert_eq!(
            StartCall::from_form("x=1&didCalled=%2B971%2050+1")
                .unwrap()
                .did_called,
            "+971 50 1"
        );
        for bad in [
            "",
            "didCalled=",
            "didCalled=%zz",
            "didCalled=%",
            "other=1",
            "didCalled=%0A",
        ] {
            assert!(StartCall::from_form(bad).is_err(), "{bad}");
        }
    }

    #[cfg(feature = "serde")]
    #[test]
    fn seed_payloads_round_trip() {
        let answer: StartCallAnswer = serde_json::from_str(
            r#"{"result":true,"content":{"didCalled":"061234567","rules":[{"action":"call","number":"0505874603","callerID":"042789926","timeout":10}]}}"#,
        )
        .unwrap();
        assert_eq!(
            answer,
            StartCallAnswer::new("061234567", vec![Rule::call("0505874603", "042789926", 10)])
        );
        let cdr: Cdr = serde_json::from_str(
            r#"{"callID":"fdf893f5","duration":28,"hangupCause":"NORMAL_CLEARING","disposition":"ANSWER","recordingFile":"fdf893f5.mp3","direction":"inbound","callerIDNumber":"044508146","agentCCLogin":"unknown","holdTime":0,"extendedInfo":{"x":1},"callFlows":[{"callID":"fdf893f5","transfered":false,"step":1,"hangup":true}]}"#,
        )
        .unwrap();
        assert_eq!(cdr.call_id.as_deref(), Some("fdf893f5"));
        assert_eq!(cdr.duration, Some(28.0));
        assert_eq!(cdr.call_flows[0].step, Some(1));
        let back = serde_json::to_value(&cdr).unwrap();
        assert_eq!(back["callerIDNumber"], "044508146");
    }
}

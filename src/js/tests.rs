//! The npm wasm's ABI, natively: the same bytes `js/wasm.js` writes and reads.

use super::*;
use proptest::prelude::*;
use std::sync::{Mutex, MutexGuard};

/// The module's state is one global: one test at a time.
static LOCK: Mutex<()> = Mutex::new(());

fn lock() -> MutexGuard<'static, ()> {
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// What `js/wasm.js` encodes: a u32 length (or `u32::MAX`: absent) and the bytes.
fn encode(args: &[Option<&str>]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for arg in args {
        match arg {
            Some(s) => {
                bytes.extend_from_slice(&(s.len() as u32).to_le_bytes());
                bytes.extend_from_slice(s.as_bytes());
            }
            None => bytes.extend_from_slice(&u32::MAX.to_le_bytes()),
        }
    }
    bytes
}

struct Answer {
    status: i32,
    fields: Vec<Option<String>>,
    nums: Vec<f64>,
}

/// Runs `op` through the exported functions, as `js/wasm.js` does.
fn raw(op: u32, bytes: &[u8], handle: u32, n: [f64; 4]) -> Answer {
    let ptr = ziwo_input(bytes.len());
    // SAFETY: `ziwo_input` gave a buffer of at least this many bytes.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), ptr, bytes.len()) };
    let status = ziwo_run(op, handle, bytes.len(), n[0], n[1], n[2], n[3]);
    // SAFETY: the header and the output it points to live until the next call.
    let (text, nums) = unsafe {
        let header = std::slice::from_raw_parts(ziwo_output(), 4);
        (
            std::slice::from_raw_parts(header[0] as *const u8, header[1]).to_vec(),
            std::slice::from_raw_parts(header[2] as *const f64, header[3]).to_vec(),
        )
    };
    let mut fields = Vec::new();
    let mut rest = &text[..];
    while let Some((len, tail)) = rest.split_first_chunk::<4>() {
        let len = u32::from_le_bytes(*len);
        if len == u32::MAX {
            fields.push(None);
            rest = tail;
        } else {
            let (s, tail) = tail.split_at(len as usize);
            fields.push(Some(String::from_utf8(s.to_vec()).unwrap()));
            rest = tail;
        }
    }
    Answer {
        status,
        fields,
        nums,
    }
}

fn exec(op: u32, args: &[Option<&str>], handle: u32, n: [f64; 4]) -> Answer {
    raw(op, &encode(args), handle, n)
}

fn strings(answer: &Answer) -> Vec<&str> {
    answer
        .fields
        .iter()
        .map(|f| f.as_deref().unwrap_or("<absent>"))
        .collect()
}

#[test]
fn install_plans_are_all_or_nothing() {
    let _l = lock();
    let token = "b10c6840-a9e7-11e8-8476-8d2a2f09b159";
    let plan = exec(
        op::INSTALL_PLAN,
        &[
            Some("acme"),
            Some("top-left"),
            None,
            Some(token),
            None,
            None,
        ],
        0,
        [0.0; 4],
    );
    assert_eq!(plan.status, 0);
    assert_eq!(
        strings(&plan),
        [
            "https://acme.aswat.co/scripts/jorel.js",
            TOKEN_KEY,
            token,
            CC_NAME_KEY,
            "acme",
            POSITION_KEY,
            "top-left"
        ]
    );
    // Each bad option is its error, and the plan is nothing but the error.
    for (args, code) in [
        (
            [Some("Acme"), None, None, None, None, None],
            "invalid-contact-center",
        ),
        (
            [Some("acme"), Some("middle"), None, None, None, None],
            "invalid-option",
        ),
        (
            [Some("acme"), None, None, Some("a b"), None, None],
            "invalid-token",
        ),
        (
            [Some("acme"), None, None, None, Some("<x>"), None],
            "invalid-option",
        ),
        (
            [
                Some("acme"),
                None,
                None,
                None,
                None,
                Some("javascript:alert(1)"),
            ],
            "invalid-url",
        ),
    ] {
        let failed = exec(op::INSTALL_PLAN, &args, 0, [0.0; 4]);
        assert_eq!(failed.status, FAILED);
        assert_eq!(failed.fields[0].as_deref(), Some(code), "{args:?}");
        assert_eq!(failed.fields.len(), 3);
        assert!(failed.nums[0].is_nan());
    }
}

#[test]
fn errors_carry_code_message_key_and_status() {
    let _l = lock();
    let threw = exec(
        op::ERROR,
        &[Some("phone-threw"), Some("no line")],
        0,
        [0.0; 4],
    );
    assert_eq!(threw.status, FAILED);
    assert_eq!(threw.fields[0].as_deref(), Some("phone-threw"));
    assert!(threw.fields[1].as_deref().unwrap().ends_with(": no line"));
    assert_eq!(threw.fields[2], None);
    let unknown = exec(op::ERROR, &[Some("what")], 0, [0.0; 4]);
    assert_eq!(unknown.fields[0].as_deref(), Some("no-document"));
    // A corrupt stored session names its key.
    let corrupt = exec(
        op::SESSION,
        &[Some("tok"), Some("Bad Name"), None],
        0,
        [0.0; 4],
    );
    assert_eq!(corrupt.status, FAILED);
    assert_eq!(corrupt.fields[0].as_deref(), Some("corrupt-session"));
    assert_eq!(corrupt.fields[2].as_deref(), Some(CC_NAME_KEY));
}

#[test]
fn sessions_and_keys() {
    let _l = lock();
    let none = exec(op::SESSION, &[None, None, None], 0, [0.0; 4]);
    assert_eq!((none.status, none.fields.len()), (0, 0));
    let some = exec(op::SESSION, &[Some("tok"), Some("acme"), None], 0, [0.0; 4]);
    assert_eq!(some.status, 1);
    assert_eq!(some.fields, [Some("tok".into()), Some("acme".into()), None]);
    let keys = exec(op::KEYS, &[], 0, [0.0; 4]);
    assert_eq!(
        strings(&keys),
        [
            ABI_VERSION,
            TOKEN_KEY,
            CC_NAME_KEY,
            CC_LOGIN_KEY,
            CLAIMS_KEY
        ]
    );
    assert_eq!(
        exec(op::IS_SESSION_KEY, &[Some(TOKEN_KEY)], 0, [0.0; 4]).status,
        1
    );
    assert_eq!(exec(op::IS_SESSION_KEY, &[None], 0, [0.0; 4]).status, 1);
    assert_eq!(
        exec(op::IS_SESSION_KEY, &[Some("other")], 0, [0.0; 4]).status,
        0
    );
}

#[test]
fn the_input_is_zeroed_after_each_call() {
    let _l = lock();
    let token = "b10c6840-a9e7-11e8-8476-8d2a2f09b159";
    let bytes = encode(&[Some(token), Some("acme")]);
    exec(op::SESSION_PLAN, &[Some(token), Some("acme")], 0, [0.0; 4]);
    // SAFETY: the buffer holds at least the bytes just written.
    let input = unsafe { std::slice::from_raw_parts(ziwo_input(0), bytes.len()) };
    assert!(input.iter().all(|&b| b == 0));
    // The next answer replaces the token in the output.
    exec(op::KEYS, &[], 0, [0.0; 4]);
    let state = state();
    assert!(!state
        .out
        .text
        .windows(token.len())
        .any(|w| w == token.as_bytes()));
}

/// A call event's packed detail, as `readCall` packs it.
fn detail(call_id: &str, state: &str) -> String {
    format!("S{call_id}\u{0}A\u{0}S+971501234567\u{0}Sinbound\u{0}S{state}")
}

#[test]
fn a_phone_tracks_calls_and_is_freed() {
    let _l = lock();
    assert_eq!(
        exec(op::PHONE_NEW, &[Some("Bad")], 0, [0.0; 4]).fields[0].as_deref(),
        Some("invalid-option")
    );
    let new = exec(op::PHONE_NEW, &[Some("transferring")], 0, [0.0; 4]);
    let phone = new.status as u32;
    assert!(phone > 0);
    let names = strings(&new);
    assert_eq!(names.len(), new.nums.len());
    let index = |name: &str| names.iter().position(|n| *n == name).unwrap() as f64;
    assert_eq!(new.nums[index("_jorel-dialog-state-ringing") as usize], 1.0);
    assert_eq!(
        new.nums[index("_jorel-dialog-state-connected") as usize],
        0.0
    );
    assert!(names.contains(&"ziwo-transferring"));

    let ringing = detail("c1", "ringing");
    let handle = |name: &str, packed: &str, wanted: f64| {
        exec(
            op::HANDLE_CALL,
            &[Some(packed)],
            phone,
            [index(name), 1_700_000_000.0, 1_700_000_000_500.0, wanted],
        )
    };
    let first = handle("_jorel-dialog-state-ringing", &ringing, 1.0);
    assert_eq!(first.status, TRANSITION);
    assert_eq!(first.nums[0], -1.0, "no previous state");
    // A repeat is not a transition (and says nothing); a detail without a callID is said so.
    let repeat = handle("ziwo-ringing", &ringing, 1.0);
    assert_eq!((repeat.status, repeat.nums.len()), (IGNORED, 0));
    assert_eq!(handle("ziwo-ringing", "A", 1.0).status, NO_CALL_ID);
    let active = detail("c1", "active");
    let event = handle("_jorel-dialog-state-active", &active, 1.0);
    assert_eq!(event.status, TRANSITION);
    // previous (ringing), direction, recovered, ended, startedAt, ring, talk, hold, count.
    assert_eq!(
        &event.nums[..2],
        [f64::from(CallState::Ringing.index()), 0.0]
    );
    assert_eq!(event.nums[8], 2.0);
    assert_eq!(&event.nums[9..11], [3.0, 5.0]);
    assert_eq!(strings(&event), ["c1", "<absent>", "+971501234567"]);
    // An unknown state's name follows the call's strings.
    let event = handle("ziwo-transferring", &detail("c1", "transferring"), 1.0);
    assert_eq!(event.fields[3].as_deref(), Some("transferring"));
    // Nobody listening and no pop-up: tracked, nothing built.
    let quiet = handle("ziwo-held", &detail("c1", "held"), 0.0);
    assert_eq!((quiet.status, quiet.nums.len()), (IGNORED, 0));

    let calls = exec(op::CALLS, &[], phone, [1_700_000_009_000.0, 0.0, 0.0, 0.0]);
    assert_eq!(calls.nums[0], 1.0);

    // A pop-up rule with a bad state is refused; a good one opens at ringing.
    let bad = exec(
        op::POPUP,
        &[Some("ring"), Some(""), Some(""), Some("")],
        phone,
        [0.0; 4],
    );
    assert_eq!(bad.status, FAILED);
    let rule = [Some("ringing"), Some("early"), Some(""), Some("")];
    assert_eq!(exec(op::POPUP, &rule, phone, [0.0; 4]).status, 0);
    assert_eq!(
        handle("ziwo-ringing", &detail("c2", "ringing"), 0.0).status,
        POPUP
    );

    let connected = exec(
        op::HANDLE_PHONE,
        &[Some("Sacme\u{0}S1001")],
        phone,
        [index("_jorel-dialog-state-connected"), 0.0, 0.0, 0.0],
    );
    assert_eq!(connected.status, PHONE_EVENT);
    assert_eq!(
        connected.fields,
        [
            Some("connected".into()),
            Some("1001".into()),
            None,
            None,
            Some("acme".into())
        ]
    );
    assert!(connected.nums[0].is_nan(), "no code");
    assert_eq!(
        exec(op::CONNECTION, &[], phone, [0.0; 4]).fields[0].as_deref(),
        Some("connected")
    );

    exec(op::PHONE_FREE, &[], phone, [0.0; 4]);
    let gone = exec(op::CALLS, &[], phone, [0.0; 4]);
    assert_eq!(gone.fields[0].as_deref(), Some("disposed"));
    // The slot is taken again.
    assert_eq!(exec(op::PHONE_NEW, &[], 0, [0.0; 4]).status as u32, phone);
    exec(op::PHONE_FREE, &[], phone, [0.0; 4]);
}

#[cfg(feature = "api")]
#[test]
fn a_client_builds_requests_on_its_origin_and_judges_answers() {
    let _l = lock();
    let token = "b10c6840-a9e7-11e8-8476-8d2a2f09b159";
    let args = [Some("acme"), Some(token), Some(""), None, None, None, None];
    let client = exec(op::API_NEW, &args, 0, [0.0; 4]).status as u32;
    assert!(client > 0);
    let request = exec(
        op::API_REQUEST,
        &[Some("callHistory"), Some("abc")],
        client,
        [0.0; 4],
    );
    let request = strings(&request);
    assert_eq!(request[0], "GET");
    assert!(request[1].starts_with("https://acme-api.aswat.co/"));
    assert!(!request[1].contains(token));
    assert!(request[4..].contains(&token));
    let refused = exec(op::API_CHECK, &[None], client, [401.0, 1.0, 0.0, 0.0]);
    assert_eq!(refused.status, FAILED);
    assert_eq!(refused.nums[0], 401.0);
    assert_eq!(
        exec(op::API_CHECK, &[None], client, [200.0, 1.0, 1.0, 0.0]).status,
        0
    );
    let no_object = exec(op::API_CHECK, &[None], client, [200.0, 0.0, -1.0, 0.0]);
    assert_eq!(no_object.fields[0].as_deref(), Some("malformed-response"));
    exec(op::API_FREE, &[], client, [0.0; 4]);
}

/// An argument as the facade may send one: absent, a name the core knows, a packed
/// event detail, or any text.
fn arg() -> impl Strategy<Value = Option<String>> {
    let known = proptest::sample::select(vec![
        "acme",
        "ringing",
        "active",
        "destroy",
        "early",
        "inbound",
        "outbound",
        "",
        "tok-1234567890",
        "https://crm.example/c?n={number}",
        "+971501234567",
        "callHistory",
        "ctiCall",
        "transferring",
    ]);
    let field = proptest::sample::select(vec![
        "A",
        "O",
        "Sc1",
        "Sc2",
        "Sringing",
        "Sactive",
        "Sdestroy",
        "Sinbound",
        "S+971501234567",
        "S7",
    ]);
    prop_oneof![
        Just(None),
        known.prop_map(|s| Some(s.to_owned())),
        proptest::collection::vec(field, 0..7).prop_map(|f| Some(f.join("\u{0}"))),
        ".{0,24}".prop_map(Some),
    ]
}

/// A number as the facade may send one, or any other.
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        (0u32..40).prop_map(f64::from),
        Just(1_700_000_000.0),
        Just(-1.0),
        proptest::num::f64::ANY,
    ]
}

/// Every input of one and two bytes, and every three-byte input that starts with a
/// three- or four-byte lead: the same verdict as the standard library.
#[test]
fn utf8_agrees_with_std_exhaustively() {
    let same =
        |bytes: &[u8]| assert_eq!(utf8(bytes), std::str::from_utf8(bytes).ok(), "{bytes:x?}");
    for a in 0..=255u8 {
        same(&[a]);
        for b in 0..=255u8 {
            same(&[a, b]);
        }
    }
    for a in 0xE0..=0xF7u8 {
        for b in 0..=255u8 {
            for c in 0..=255u8 {
                same(&[a, b, c]);
            }
        }
    }
}

proptest! {
    /// Any bytes, any operation, any handle, any numbers: an answer, never a panic.
    #[test]
    fn any_input_is_an_answer(
        op in 0u32..30,
        bytes in proptest::collection::vec(any::<u8>(), 0..64),
        handle in 0u32..4,
        n in proptest::array::uniform4(proptest::num::f64::ANY),
    ) {
        let _l = lock();
        let answer = raw(op, &bytes, handle, n);
        prop_assert!(answer.status >= FAILED);
    }

    /// Well-formed calls in any order, on live and dead handles, with any numbers: every
    /// one is answered, none traps (the module would be poisoned for the page).
    #[test]
    fn any_sequence_of_well_formed_calls_is_answered(
        calls in proptest::collection::vec(
            (
                0u32..24,
                proptest::collection::vec(arg(), 0..8),
                0u32..4,
                proptest::array::uniform4(number()),
            ),
            1..40,
        ),
    ) {
        let _l = lock();
        let phone = exec(op::PHONE_NEW, &[], 0, [0.0; 4]).status as u32;
        #[cfg(feature = "api")]
        let client = exec(
            op::API_NEW,
            &[Some("acme"), Some("tok-1234567890"), Some(""), None, None, None, None],
            0,
            [0.0; 4],
        )
        .status as u32;
        #[cfg(not(feature = "api"))]
        let client = 0;
        for (code, args, handle, n) in &calls {
            let refs: Vec<Option<&str>> = args.iter().map(Option::as_deref).collect();
            let handle = match handle {
                1 => phone,
                2 => client,
                other => *other,
            };
            let answer = exec(*code, &refs, handle, *n);
            prop_assert!(answer.status >= FAILED);
        }
        exec(op::PHONE_FREE, &[], phone, [0.0; 4]);
        #[cfg(feature = "api")]
        exec(op::API_FREE, &[], client, [0.0; 4]);
    }

    /// The ABI's UTF-8 check says what the standard library says, on any bytes.
    #[test]
    fn utf8_agrees_with_std(
        bytes in proptest::collection::vec(
            prop_oneof![
                any::<u8>(),
                proptest::sample::select(vec![
                    0x00u8, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
                    0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7,
                    0xF8, 0xFF,
                ]),
            ],
            0..12,
        ),
        text in ".{0,8}",
    ) {
        prop_assert_eq!(utf8(&bytes), std::str::from_utf8(&bytes).ok());
        prop_assert_eq!(utf8(text.as_bytes()), Some(text.as_str()));
    }

    /// Strings, absent or not, reach the operation as they were sent.
    #[test]
    fn strings_cross_intact(args in proptest::collection::vec(proptest::option::of(".{0,40}"), 0..6)) {
        let refs: Vec<Option<&str>> = args.iter().map(Option::as_deref).collect();
        let bytes = encode(&refs);
        let mut parsed = Args(&bytes);
        for expected in &refs {
            prop_assert_eq!(parsed.next(), *expected);
        }
        prop_assert!(parsed.0.is_empty());
    }
}

/// `js/wasm.js` speaks this ABI: the same operation numbers and version.
#[test]
fn the_javascript_driver_has_the_same_numbers() {
    let js = include_str!("../../js/wasm.js");
    let mut rust = vec![
        ("ERROR", op::ERROR),
        ("INSTALL_PLAN", op::INSTALL_PLAN),
        ("HTTP_URL", op::HTTP_URL),
        ("DIAL_NUMBER", op::DIAL_NUMBER),
        ("SESSION_PLAN", op::SESSION_PLAN),
        ("SESSION", op::SESSION),
        ("KEYS", op::KEYS),
        ("IS_SESSION_KEY", op::IS_SESSION_KEY),
        ("CLAIM", op::CLAIM),
        ("EXPAND", op::EXPAND),
        ("PHONE_NEW", op::PHONE_NEW),
        ("HANDLE_CALL", op::HANDLE_CALL),
        ("HANDLE_PHONE", op::HANDLE_PHONE),
        ("POPUP", op::POPUP),
        ("CLEAR_POPUP", op::CLEAR_POPUP),
        ("CALLS", op::CALLS),
        ("CONNECTION", op::CONNECTION),
        ("PHONE_FREE", op::PHONE_FREE),
    ];
    #[cfg(feature = "api")]
    rust.extend([
        ("API_NEW", op::API_NEW),
        ("API_REQUEST", op::API_REQUEST),
        ("API_CHECK", op::API_CHECK),
        ("API_SESSION_PLAN", op::API_SESSION_PLAN),
        ("API_FREE", op::API_FREE),
    ]);
    let mut javascript: Vec<(&str, u32)> = js
        .lines()
        .filter_map(|line| line.strip_prefix("export const ")?.strip_suffix(';'))
        .filter_map(|decl| {
            let (name, value) = decl.split_once(" = ")?;
            Some((name, value.parse().ok()?))
        })
        .collect();
    #[cfg(not(feature = "api"))]
    javascript.retain(|(name, _)| !name.starts_with("API_"));
    rust.sort();
    javascript.sort();
    assert_eq!(javascript, rust);
    assert!(js.contains(&format!("const ABI = '{ABI_VERSION}';")));
}

//! Browser tests of installing the phone and of its session in localStorage.
#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use ziwo_webphone::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn loader() -> Option<web_sys::HtmlScriptElement> {
    document()
        .get_element_by_id(SCRIPT_ID)
        .map(|e| e.unchecked_into())
}

fn reset() {
    remove_loader();
    clear_phone_keys();
}

#[wasm_bindgen_test]
async fn install_does_what_zivos_snippet_does() {
    reset();
    let cc = ContactCenter::parse("wayne-enterprise").unwrap();
    let load = Install::new(cc)
        .position(Position::TopLeft)
        .size(Size::Small)
        .run()
        .unwrap();
    let script = loader().expect("the loader script is in the page");
    assert_eq!(
        script.src(),
        "https://wayne-enterprise.aswat.co/scripts/jorel.js"
    );
    assert_eq!(script.type_(), "text/javascript");
    assert!(script.r#async());
    let body = document().body().unwrap();
    assert!(
        body.first_element_child()
            .unwrap()
            .is_same_node(Some(&script)),
        "prepended to document.body"
    );
    // Plain strings, byte for byte what localStorage.setItem writes.
    let s = storage();
    assert_eq!(
        s.get_item("_jorel-default-position").unwrap().as_deref(),
        Some("top-left")
    );
    assert_eq!(
        s.get_item("_jorel-default-size").unwrap().as_deref(),
        Some("small")
    );
    // This network refuses aswat.co: the load fails, is reported, and the dead script
    // is removed so that a retry can add a fresh one.
    assert_eq!(load.await, Err(Error::ScriptFailed));
    assert_eq!(loader_count(), 0);
}

#[wasm_bindgen_test]
async fn install_is_idempotent_and_reports_the_load() {
    reset();
    let cc = ContactCenter::parse("acme").unwrap();
    let first = Install::new(cc.clone())
        .script_url(simulator_url())
        .run()
        .unwrap();
    let second = Install::new(cc.clone())
        .script_url(simulator_url())
        .run()
        .unwrap();
    assert_eq!(loader_count(), 1, "a second install adds no second script");
    assert_eq!(first.await, Ok(()));
    assert_eq!(
        second.await,
        Ok(()),
        "the second install follows the same load"
    );
    let third = Install::new(cc)
        .script_url(simulator_url())
        .size(Size::Mini)
        .run()
        .unwrap();
    assert_eq!(third.await, Ok(()));
    assert_eq!(loader_count(), 1);
    assert_eq!(
        storage()
            .get_item("_jorel-default-size")
            .unwrap()
            .as_deref(),
        Some("mini")
    );
}

#[wasm_bindgen_test]
async fn a_failed_load_is_retried_with_one_script() {
    reset();
    let cc = ContactCenter::parse("acme").unwrap();
    let bad = Install::new(cc.clone())
        .script_url("http://127.0.0.1:9/nothing-listens-here.js")
        .run()
        .unwrap();
    assert_eq!(loader_count(), 1);
    assert_eq!(bad.await, Err(Error::ScriptFailed));
    assert_eq!(loader_count(), 0);
    let good = Install::new(cc).script_url(simulator_url()).run().unwrap();
    assert_eq!(loader_count(), 1);
    assert_eq!(good.await, Ok(()));
}

#[wasm_bindgen_test]
fn auto_login_keys_are_written_before_the_script_is_inserted() {
    reset();
    watch_prepend();
    let token = Token::parse("b10c6840-a9e7-11e8-8476-8d2a2f09b159").unwrap();
    let _load = Install::new(ContactCenter::parse("wayne-enterprise").unwrap())
        .token(token)
        .script_url("http://127.0.0.1:9/never.js")
        .run()
        .unwrap();
    assert_eq!(
        token_at_prepend().as_deref(),
        Some("b10c6840-a9e7-11e8-8476-8d2a2f09b159"),
        "the token was in storage when the script was inserted"
    );
    let s = storage();
    assert_eq!(
        s.get_item("_jorel-token").unwrap().as_deref(),
        Some("b10c6840-a9e7-11e8-8476-8d2a2f09b159"),
        "the token is a plain string, not JSON"
    );
    assert_eq!(
        s.get_item("_jorel-ccName").unwrap().as_deref(),
        Some("wayne-enterprise")
    );
}

#[wasm_bindgen_test]
fn bad_input_changes_nothing() {
    reset();
    for bad in ["evil.com/x", "", "Acme", "a b", "wаyne", "-a"] {
        assert!(matches!(
            ContactCenter::parse(bad),
            Err(Error::InvalidContactCenter(_))
        ));
    }
    let cc = ContactCenter::parse("acme").unwrap();
    for url in [
        "javascript:alert(1)",
        "data:text/javascript,alert(1)",
        "blob:x",
        "http://[::1",
    ] {
        let err = Install::new(cc.clone())
            .position(Position::TopLeft)
            .script_url(url)
            .run()
            .map(|_| ())
            .unwrap_err();
        assert_eq!(err, Error::InvalidUrl, "{url}");
    }
    let err = Install::new(cc)
        .position(Position::TopLeft)
        .nonce("abc\" onload=\"alert(1)")
        .run()
        .map(|_| ())
        .unwrap_err();
    assert_eq!(err.code(), "invalid-option");
    assert_eq!(loader_count(), 0, "nothing was inserted");
    assert_eq!(
        storage().get_item("_jorel-default-position").unwrap(),
        None,
        "nothing was written"
    );
}

#[wasm_bindgen_test]
async fn a_csp_nonce_is_set_on_the_script() {
    reset();
    let load = Install::new(ContactCenter::parse("acme").unwrap())
        .nonce("r4nd0m+N0nce/=")
        .script_url(simulator_url())
        .run()
        .unwrap();
    let script = loader().unwrap();
    assert_eq!(script.nonce(), "r4nd0m+N0nce/=");
    assert_eq!(load.await, Ok(()));
}

#[wasm_bindgen_test]
fn sessions_round_trip_as_plain_strings() {
    reset();
    assert_eq!(read_session(), Ok(None));
    let token = Token::parse("tok-123").unwrap();
    let cc = ContactCenter::parse("acme").unwrap();
    write_session(&token, &cc).unwrap();
    let s = storage();
    assert_eq!(
        s.get_item("_jorel-token").unwrap().as_deref(),
        Some("tok-123")
    );
    assert_eq!(
        s.get_item("_jorel-ccName").unwrap().as_deref(),
        Some("acme")
    );
    s.set_item("_jorel-ccLogin", "1001").unwrap();
    let session = read_session().unwrap().unwrap();
    assert_eq!(session.token.expose(), "tok-123");
    assert_eq!(session.contact_center.as_str(), "acme");
    assert_eq!(session.cc_login.as_deref(), Some("1001"));
    clear_session().unwrap();
    assert_eq!(read_session(), Ok(None));
    assert_eq!(s.get_item("_jorel-ccLogin").unwrap(), None);
}

#[wasm_bindgen_test]
fn a_json_encoded_token_in_storage_is_reported_not_used() {
    reset();
    let s = storage();
    s.set_item("_jorel-token", "\"tok\"").unwrap();
    s.set_item("_jorel-ccName", "acme").unwrap();
    assert_eq!(read_session(), Err(Error::CorruptSession("_jorel-token")));
    clear_phone_keys();
}

#[wasm_bindgen_test]
fn storage_that_throws_is_a_typed_error_and_writes_nothing() {
    reset();
    let token = Token::parse("tok").unwrap();
    let cc = ContactCenter::parse("acme").unwrap();
    break_storage("quota");
    let result = write_session(&token, &cc);
    repair_storage();
    assert_eq!(result, Err(Error::StorageFailed));
    assert_eq!(
        storage().get_item("_jorel-token").unwrap(),
        None,
        "rolled back"
    );

    break_storage("quota");
    let result = Install::new(cc.clone())
        .position(Position::TopLeft)
        .size(Size::Mini)
        .run()
        .map(|_| ());
    repair_storage();
    assert_eq!(result, Err(Error::StorageFailed));
    assert_eq!(storage().get_item("_jorel-default-position").unwrap(), None);
    assert_eq!(loader_count(), 0);

    // A read that throws half-way: the write before it is undone too.
    break_storage("unreadable");
    let result = write_session(&token, &cc);
    repair_storage();
    assert_eq!(result, Err(Error::StorageUnavailable));
    assert_eq!(
        storage().get_item("_jorel-token").unwrap(),
        None,
        "rolled back"
    );

    break_storage("missing");
    let read = read_session();
    let write = write_session(&token, &cc);
    let install = Install::new(cc).token(token).run().map(|_| ());
    repair_storage();
    assert_eq!(read, Err(Error::StorageUnavailable));
    assert_eq!(write, Err(Error::StorageUnavailable));
    assert_eq!(install, Err(Error::StorageUnavailable));
    assert_eq!(loader_count(), 0);
}

#[wasm_bindgen_test]
async fn another_contact_center_script_or_token_is_refused_and_writes_nothing() {
    reset();
    let acme = ContactCenter::parse("acme").unwrap();
    let token = Token::parse("tok-first").unwrap();
    Install::new(acme.clone())
        .token(token.clone())
        .script_url(simulator_url())
        .run()
        .unwrap()
        .await
        .unwrap();
    let refused = [
        // Another contact center, with the same script and token.
        Install::new(ContactCenter::parse("gotham").unwrap())
            .token(token.clone())
            .script_url(simulator_url()),
        // Another contact center, from its own loader URL.
        Install::new(ContactCenter::parse("gotham").unwrap()),
        // Another auto-login token.
        Install::new(acme.clone())
            .token(Token::parse("tok-second").unwrap())
            .script_url(simulator_url()),
        // Another script.
        Install::new(acme.clone()).script_url(format!("{}&other=1", simulator_url())),
        Install::new(acme.clone()),
    ];
    for install in refused {
        let install = install.position(Position::TopLeft).size(Size::Mini);
        let before = phone_keys();
        let result = install.run().map(|_| ());
        assert_eq!(result, Err(Error::AlreadyInstalled), "{install:?}");
        assert_eq!(phone_keys(), before, "nothing written: {install:?}");
    }
    assert_eq!(Error::AlreadyInstalled.code(), "already-installed");
    assert_eq!(loader_count(), 1);
    // The same options again, or the same without the token: one script, the display
    // keys written.
    let again = Install::new(acme.clone())
        .token(token)
        .script_url(simulator_url())
        .run()
        .unwrap();
    assert_eq!(again.await, Ok(()));
    let display = Install::new(acme)
        .script_url(simulator_url())
        .position(Position::TopLeft)
        .run()
        .unwrap();
    assert_eq!(display.await, Ok(()));
    assert_eq!(loader_count(), 1);
    let s = storage();
    assert_eq!(
        s.get_item("_jorel-default-position").unwrap().as_deref(),
        Some("top-left")
    );
    assert_eq!(
        s.get_item("_jorel-token").unwrap().as_deref(),
        Some("tok-first")
    );
    assert_eq!(
        s.get_item("_jorel-ccName").unwrap().as_deref(),
        Some("acme")
    );
    reset();
}

#[wasm_bindgen_test]
fn a_loader_the_page_added_itself_refuses_another_contact_center() {
    reset();
    // ZIWO's own snippet ran first (type text/plain: the test fetches nothing).
    let script: web_sys::HtmlScriptElement = document()
        .create_element("script")
        .unwrap()
        .unchecked_into();
    script.set_id(SCRIPT_ID);
    script.set_type("text/plain");
    script.set_src("https://acme.aswat.co/scripts/jorel.js");
    document()
        .body()
        .unwrap()
        .prepend_with_node_1(&script)
        .unwrap();
    let before = phone_keys();
    let other = Install::new(ContactCenter::parse("gotham").unwrap())
        .size(Size::Mini)
        .run()
        .map(|_| ());
    assert_eq!(other, Err(Error::AlreadyInstalled));
    assert_eq!(phone_keys(), before);
    let same = Install::new(ContactCenter::parse("acme").unwrap())
        .size(Size::Mini)
        .run();
    assert!(same.is_ok());
    assert_eq!(loader_count(), 1, "no second script");
    assert_eq!(
        storage()
            .get_item("_jorel-default-size")
            .unwrap()
            .as_deref(),
        Some("mini")
    );
    reset();
}

#[wasm_bindgen_test]
fn a_storage_read_that_throws_is_unavailable_not_logged_out() {
    reset();
    let s = storage();
    s.set_item("_jorel-token", "tok").unwrap();
    s.set_item("_jorel-ccName", "acme").unwrap();
    break_storage("unreadable");
    let read = read_session();
    repair_storage();
    assert_eq!(read, Err(Error::StorageUnavailable));
    // Logged out is only what a readable storage says.
    clear_phone_keys();
    break_storage("unreadable");
    let read = read_session();
    let client = ApiClient::from_session().map(|_| ());
    repair_storage();
    assert_eq!(read, Err(Error::StorageUnavailable));
    assert_eq!(client, Err(Error::StorageUnavailable), "not NotSignedIn");
    assert_eq!(read_session(), Ok(None));
    assert_eq!(
        ApiClient::from_session().map(|_| ()),
        Err(Error::NotSignedIn)
    );
}

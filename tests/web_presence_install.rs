//! Browser test: `install` starts listening for the agent's connection, so that a phone
//! created after the installed phone connected knows it. In a page of its own, where no
//! phone exists before the install (the page remembers what it has seen for its lifetime:
//! tests/web_presence.rs).
#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen_test::*;
use ziwo_webphone::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_phone_created_after_the_installed_phone_connected_knows_it() {
    remove_loader();
    clear_phone_keys();
    let heard = std::rc::Rc::new(std::cell::Cell::new(false));
    let flag = heard.clone();
    let _listener = gloo_events::EventListener::new(
        &web_sys::window().unwrap(),
        "_jorel-dialog-state-connected",
        move |_| flag.set(true),
    );
    Install::new(ContactCenter::parse("acme").unwrap())
        .token(Token::parse("tok-late").unwrap())
        .script_url(simulator_url())
        .run()
        .unwrap()
        .await
        .unwrap();
    wait_until("the simulator's auto-login", || heard.get()).await;
    let phone = WebPhone::new().unwrap();
    assert_eq!(phone.connection(), Connection::Connected);
    let agent = phone.ready(0).await.unwrap();
    assert_eq!(agent.contact_center.as_deref(), Some("acme"));
    assert!(agent.cc_login.is_some());
    phone.dispose();
    remove_loader();
    clear_phone_keys();
}

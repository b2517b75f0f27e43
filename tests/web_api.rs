//! The REST client in the browser, against the loopback API server that the test command
//! starts (`scripts/api-server.mjs`): every route, every failure mode, and where the
//! credentials go.
#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use ziwo_webphone::core::api::{
    AgentStatus, Entity, Page, TrackerFields, TrackerLogQuery, Whisper,
};
use ziwo_webphone::*;

wasm_bindgen_test_configure!(run_in_browser);

const TOKEN: &str = "test-access-token";
const API_KEY: &str = "test-api-key";

fn origin() -> &'static str {
    option_env!("ZIWO_API_ORIGIN").unwrap_or("http://127.0.0.1:47882")
}

#[wasm_bindgen(inline_js = r#"
export async function control(origin, path, body) {
  const r = await fetch(origin + '/__control/' + path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return r.json();
}
export function get(o, k) { return o == null ? undefined : o[k]; }
export function blobInfo(b) { return [b.size, b.type].join(' '); }
export function len(a) { return Array.isArray(a) ? a.length : -1; }
"#)]
extern "C" {
    async fn control(origin: &str, path: &str, body: JsValue) -> JsValue;
    fn get(o: &JsValue, k: &str) -> JsValue;
    #[wasm_bindgen(js_name = blobInfo)]
    fn blob_info(b: &JsValue) -> String;
    fn len(a: &JsValue) -> i32;
}

async fn reset() {
    control(origin(), "reset", js_sys::Object::new().into()).await;
}

async fn fail_next(mode: &str) {
    let body = js_sys::Object::new();
    js_sys::Reflect::set(&body, &"mode".into(), &mode.into()).unwrap();
    control(origin(), "fail", body.into()).await;
}

/// The requests the server received (CORS preflights left out), as `METHOD path?query`
/// lines, and the raw log.
async fn requests() -> (Vec<String>, String) {
    let log = control(origin(), "requests", JsValue::UNDEFINED).await;
    let content: js_sys::Array = js_sys::Array::from(&get(&log, "content"))
        .iter()
        .filter(|r| get(r, "method").as_string().as_deref() != Some("OPTIONS"))
        .collect();
    let content: JsValue = content.into();
    let text = js_sys::JSON::stringify(&content)
        .unwrap()
        .as_string()
        .unwrap();
    let lines = js_sys::Array::from(&content)
        .iter()
        .map(|r| {
            let url = get(&r, "url")
                .as_string()
                .or_else(|| get(&r, "path").as_string())
                .unwrap_or_default();
            format!(
                "{} {}",
                get(&r, "method").as_string().unwrap_or_default(),
                url
            )
        })
        .collect();
    (lines, text)
}

fn agent() -> ApiClient {
    let cc = ContactCenter::parse("acme").unwrap();
    ApiClient::new(&cc, Credentials::AccessToken(Token::parse(TOKEN).unwrap()))
        .with_base_url(origin())
        .unwrap()
}

fn cti() -> ApiClient {
    let cc = ContactCenter::parse("acme").unwrap();
    ApiClient::new(&cc, Credentials::ApiKey(Token::parse(API_KEY).unwrap()))
        .with_base_url(origin())
        .unwrap()
}

async fn content(
    api: &ApiClient,
    request: Result<core::api::Request, Error>,
) -> Result<JsValue, Error> {
    Ok(api.send(&request?).await?.content())
}

#[wasm_bindgen_test]
async fn login_gives_the_token_and_can_save_the_session() {
    reset().await;
    clear_phone_keys();
    let cc = ContactCenter::parse("acme").unwrap();
    let anonymous = ApiClient::new(&cc, Credentials::None)
        .with_base_url(origin())
        .unwrap();
    let token = login(&anonymous, "agent@example.com", "secret", true)
        .await
        .unwrap();
    assert_eq!(token.expose(), TOKEN);
    let session = read_session().unwrap().unwrap();
    assert_eq!(
        (session.token.expose(), session.contact_center.as_str()),
        (TOKEN, "acme")
    );
    let refused = login(&anonymous, "agent@example.com", "wrong", false).await;
    assert!(
        matches!(refused, Err(Error::ApiRefused(200, ref m)) if m == "Invalid credentials"),
        "{refused:?}"
    );
    // The client made from the phone's session calls the API with it.
    let from_session = ApiClient::from_session()
        .unwrap()
        .with_base_url(origin())
        .unwrap();
    let cdr = content(&from_session, from_session.requests().call_history("46"))
        .await
        .unwrap();
    assert!(get(&cdr, "callID").is_string());
    clear_phone_keys();
    assert_eq!(
        ApiClient::from_session().map(|_| ()),
        Err(Error::NotSignedIn)
    );
}

#[wasm_bindgen_test]
async fn call_history_recordings_and_pages() {
    reset().await;
    let api = agent();
    let r = api.requests();
    let cdr = content(&api, r.call_history("46")).await.unwrap();
    let call_id = get(&cdr, "callID").as_string().unwrap();
    let page = content(&api, r.call_history_list(Some(&call_id), Page::default()))
        .await
        .unwrap();
    assert_eq!(len(&page), 1);
    // All 120 CDRs take three pages of 50.
    let mut total = 0;
    let mut next = Page::default();
    loop {
        let items = content(&api, r.call_history_list(None, next))
            .await
            .unwrap();
        total += len(&items);
        if len(&items) < next.limit as i32 {
            break;
        }
        next = next.next();
    }
    assert_eq!(total, 120);
    match api.send(&r.recording(&call_id).unwrap()).await.unwrap() {
        ApiReply::Bytes(blob) => {
            let info = blob_info(&blob);
            assert!(
                info.ends_with(" audio/mpeg") && !info.starts_with("0 "),
                "{info}"
            );
        }
        other => panic!("{other:?}"),
    }
    let missing = api
        .send(&r.call_history("999999").unwrap())
        .await
        .map(|_| ());
    assert!(
        matches!(missing, Err(Error::ApiRefused(404, _))),
        "{missing:?}"
    );
}

#[wasm_bindgen_test]
async fn click_to_call_cti_and_whispering() {
    reset().await;
    let api = agent();
    let n = PhoneNumber::parse("+971 50 123 4567").unwrap();
    let call = content(&api, api.requests().admin_call(&n, true))
        .await
        .unwrap();
    assert!(get(&call, "callID").is_string());
    let cti = cti();
    let r = cti.requests();
    content(&cti, r.cti_login("1001")).await.unwrap();
    content(&cti, r.cti_status("1001", AgentStatus::Available))
        .await
        .unwrap();
    let call = content(&cti, r.cti_call("1001", &n, Some("VIP customer")))
        .await
        .unwrap();
    assert!(get(&call, "callID").is_string());
    let call = content(&cti, r.cti_ivr("main", &n, None)).await.unwrap();
    assert!(get(&call, "callID").is_string());
    content(&cti, r.cti_logout("1001")).await.unwrap();
    // The CTI routes need the api_key: an agent's client refuses before sending.
    assert_eq!(
        api.send(&api.requests().cti_login("1001").unwrap())
            .await
            .map(|_| ()),
        Err(Error::InvalidOption("the CTI routes need an api_key"))
    );
    let eaves = content(&api, api.requests().eavesdrop("5555", Some("my desk")))
        .await
        .unwrap();
    let call_id = get(&eaves, "callID").as_string().unwrap();
    content(&api, api.requests().whisper(&call_id, Whisper::Both))
        .await
        .unwrap();
    let (lines, log) = requests().await;
    assert!(
        lines
            .iter()
            .all(|l| !l.contains(TOKEN) && !l.contains(API_KEY)),
        "{lines:?}"
    );
    assert!(
        log.contains("\"api_key\":\"test-api-key\""),
        "the key went in its header"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.ends_with("/agents/1001/login"))
            .count(),
        1,
        "the refused CTI call from the agent's client was never sent"
    );
}

#[wasm_bindgen_test]
async fn call_trackers_from_creation_to_deletion() {
    reset().await;
    let api = agent();
    let r = api.requests();
    let mut fields = TrackerFields::default();
    fields.set("name", "Spring campaign").unwrap();
    fields
        .set("startRequestURL", "https://crm.example/start")
        .unwrap();
    fields.set("startRequestTimeout", "3000").unwrap();
    let created = content(&api, r.create_tracker(&fields)).await.unwrap();
    let id = get(&created, "id");
    let id = id
        .as_string()
        .or_else(|| id.as_f64().map(|n| (n as u64).to_string()))
        .unwrap();
    let mut update = TrackerFields::default();
    update
        .set("endRequestURL", "https://crm.example/end")
        .unwrap();
    content(&api, r.update_tracker(&id, &update)).await.unwrap();
    let updated = content(&api, r.tracker(&id)).await.unwrap();
    assert_eq!(
        get(&updated, "endRequestURL").as_string().as_deref(),
        Some("https://crm.example/end")
    );
    let found = content(
        &api,
        r.trackers(Page::new(10, 0).unwrap(), Some("Spring"), Some("~name")),
    )
    .await
    .unwrap();
    assert_eq!(len(&found), 1);
    content(&api, r.block_tracker("Spring campaign", true))
        .await
        .unwrap();
    assert_eq!(
        get(&content(&api, r.tracker(&id)).await.unwrap(), "status")
            .as_string()
            .as_deref(),
        Some("blocked")
    );
    content(&api, r.block_tracker(&id, false)).await.unwrap();
    content(&api, r.test_tracker(&id)).await.unwrap();
    let logs = content(
        &api,
        r.tracker_logs(&TrackerLogQuery {
            fetch_start: Some(0),
            fetch_stop: Some(5),
            trackers: vec!["1".into()],
            ..Default::default()
        }),
    )
    .await
    .unwrap();
    assert!(len(&logs) > 0);
    content(&api, r.delete_tracker(&id)).await.unwrap();
    assert!(content(&api, r.tracker(&id)).await.is_err());
}

#[wasm_bindgen_test]
async fn customers_profiles_links_and_search() {
    reset().await;
    let api = agent();
    let r = api.requests();
    let profile = content(
        &api,
        r.create_customer(
            Entity::Profile,
            r#"{"firstName":"Harvey","lastName":"Dent"}"#,
        ),
    )
    .await
    .unwrap();
    let pid = js_sys::JSON::stringify(&get(&profile, "id"))
        .unwrap()
        .as_string()
        .unwrap();
    let number = content(
        &api,
        r.create_customer(Entity::Number, r#"{"number":"+442079460958"}"#),
    )
    .await
    .unwrap();
    let nid = js_sys::JSON::stringify(&get(&number, "id"))
        .unwrap()
        .as_string()
        .unwrap();
    content(&api, r.link_customer(&pid, Entity::Number, &nid, true))
        .await
        .unwrap();
    let found = content(&api, r.search_customers("+442079460958", Page::default()))
        .await
        .unwrap();
    assert_eq!(
        len(&found),
        1,
        "search finds the profile by its linked number"
    );
    content(
        &api,
        r.update_customer(Entity::Profile, &pid, r#"{"company":"Dent & Partners"}"#),
    )
    .await
    .unwrap();
    content(&api, r.link_customer(&pid, Entity::Number, &nid, false))
        .await
        .unwrap();
    content(&api, r.delete_customer(Entity::Number, &nid))
        .await
        .unwrap();
    // Addresses and social accounts: created, updated, linked, unlinked, deleted.
    for (entity, create, update) in [
        (
            Entity::Address,
            r#"{"street":"1 Wayne Tower","city":"Gotham"}"#,
            r#"{"postalCode":"07001"}"#,
        ),
        (
            Entity::SocialAccount,
            r#"{"network":"twitter","handle":"@harvey"}"#,
            r#"{"handle":"@twoface"}"#,
        ),
    ] {
        let created = api
            .send(&r.create_customer(entity, create).unwrap())
            .await
            .unwrap();
        let id = created
            .decode::<ziwo_webphone::core::responses::CustomerEntity>()
            .unwrap()
            .id
            .0;
        content(&api, r.update_customer(entity, &id, update))
            .await
            .unwrap();
        content(&api, r.link_customer(&pid, entity, &id, true))
            .await
            .unwrap();
        content(&api, r.link_customer(&pid, entity, &id, false))
            .await
            .unwrap();
        content(&api, r.delete_customer(entity, &id)).await.unwrap();
    }
    content(&api, r.delete_customer(Entity::Profile, &pid))
        .await
        .unwrap();
}

#[wasm_bindgen_test]
async fn replies_decode_into_typed_values() {
    use ziwo_webphone::core::responses::*;
    use ziwo_webphone::core::webhooks::Cdr;
    reset().await;
    let api = agent();
    let r = api.requests();
    let cdr: Cdr = api
        .send(&r.call_history("46").unwrap())
        .await
        .unwrap()
        .decode()
        .unwrap();
    assert_eq!(cdr.hangup_cause.as_deref(), Some("NORMAL_CLEARING"));
    assert!(cdr.duration.is_some() && !cdr.call_flows.is_empty());
    let page: Vec<Cdr> = api
        .send(&r.call_history_list(None, Page::new(5, 0).unwrap()).unwrap())
        .await
        .unwrap()
        .decode()
        .unwrap();
    assert_eq!(page.len(), 5);
    let n = PhoneNumber::parse("+15550100").unwrap();
    let started: CallStarted = api
        .send(&r.admin_call(&n, false).unwrap())
        .await
        .unwrap()
        .decode()
        .unwrap();
    assert!(!started.call_id.is_empty());
    let cti = cti();
    let state: AgentState = cti
        .send(
            &cti.requests()
                .cti_status("1002", AgentStatus::OnBreak)
                .unwrap(),
        )
        .await
        .unwrap()
        .decode()
        .unwrap();
    assert_eq!((state.cc_login.as_str(), state.status), ("1002", 2));
    let trackers: Vec<CallTracker> = api
        .send(&r.trackers(Page::default(), None, Some("name")).unwrap())
        .await
        .unwrap()
        .decode()
        .unwrap();
    assert_eq!(
        trackers.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["CT", "calltracker-01"]
    );
    assert_eq!(trackers[1].start_request_timeout, Some(10_000));
    let logs: Vec<TrackerLog> = api
        .send(&r.tracker_logs(&TrackerLogQuery::default()).unwrap())
        .await
        .unwrap()
        .decode()
        .unwrap();
    assert!(logs.iter().all(|l| !l.call_tracker_id.0.is_empty()));
    let cc = ContactCenter::parse("acme").unwrap();
    let anonymous = ApiClient::new(&cc, Credentials::None)
        .with_base_url(origin())
        .unwrap();
    let reply: LoginReply = anonymous
        .send(
            &anonymous
                .requests()
                .login("agent@example.com", "secret")
                .unwrap(),
        )
        .await
        .unwrap()
        .decode()
        .unwrap();
    assert_eq!(reply.access_token, TOKEN);
    // A reply of another shape is a typed error, not a panic.
    assert_eq!(
        api.send(&r.call_history("46").unwrap())
            .await
            .unwrap()
            .decode::<Vec<CallTracker>>()
            .map(|_| ()),
        Err(Error::ApiMalformed)
    );
}

#[wasm_bindgen_test]
async fn every_failure_mode_is_a_typed_error() {
    reset().await;
    let api = agent().with_timeout(400).unwrap();
    let request = api.requests().call_history("46").unwrap();
    for (mode, want) in [
        ("500", Error::ApiStatus(500)),
        ("401", Error::ApiUnauthorized(401)),
        ("403", Error::ApiUnauthorized(403)),
        (
            "result-false",
            Error::ApiRefused(200, "Refused by test".into()),
        ),
        ("non-json", Error::ApiMalformed),
        ("slow:2000", Error::ApiTimeout),
        ("drop", Error::ApiNetwork),
    ] {
        fail_next(mode).await;
        assert_eq!(api.send(&request).await.map(|_| ()), Err(want), "{mode}");
    }
    // And the next request works again.
    assert!(api.send(&request).await.is_ok());
    // A wrong token is unauthorised; nothing reaches a host that is not listening.
    let cc = ContactCenter::parse("acme").unwrap();
    let wrong = ApiClient::new(
        &cc,
        Credentials::AccessToken(Token::parse("wrong-token").unwrap()),
    )
    .with_base_url(origin())
    .unwrap();
    assert_eq!(
        wrong.send(&request).await.map(|_| ()),
        Err(Error::ApiUnauthorized(401))
    );
    let nowhere = agent().with_base_url("http://127.0.0.1:9").unwrap();
    assert_eq!(
        nowhere.send(&request).await.map(|_| ()),
        Err(Error::ApiNetwork)
    );
}

#[wasm_bindgen_test]
async fn credentials_go_only_in_headers_to_the_api_origin() {
    reset().await;
    let api = agent();
    for bad in [
        "javascript:alert(1)",
        "ftp://x",
        "http://user:pw@127.0.0.1:1",
    ] {
        assert!(agent().with_base_url(bad).is_err(), "{bad}");
    }
    assert_eq!(
        agent()
            .with_base_url("http://127.0.0.1:47882/some/path?x#y")
            .unwrap()
            .origin(),
        "http://127.0.0.1:47882"
    );
    let cc = ContactCenter::parse("wayne-enterprise").unwrap();
    let prod = ApiClient::new(&cc, Credentials::AccessToken(Token::parse(TOKEN).unwrap()));
    assert_eq!(prod.origin(), "https://wayne-enterprise-api.aswat.co");
    content(&api, api.requests().call_history("46"))
        .await
        .unwrap();
    let (lines, log) = requests().await;
    assert_eq!(lines.len(), 1);
    assert!(lines[0].ends_with("/callHistory/46") && !lines[0].contains(TOKEN));
    assert!(
        log.contains("\"access_token\":\"test-access-token\""),
        "{log}"
    );
    // A server that echoes the token in its refusal: the error message does not repeat it.
    let body = js_sys::Object::new();
    js_sys::Reflect::set(&body, &"mode".into(), &"result-false".into()).unwrap();
    control(origin(), "fail", body.into()).await;
    let refused = api
        .send(&api.requests().call_history("46").unwrap())
        .await
        .unwrap_err();
    assert!(!refused.to_string().contains(TOKEN));
}

#[wasm_bindgen_test]
async fn timeouts_are_between_1_and_600000_ms() {
    for ms in [1, 15_000, 600_000] {
        assert!(agent().with_timeout(ms).is_ok(), "{ms}");
    }
    for ms in [0, 600_001, u32::MAX] {
        let refused = agent().with_timeout(ms).map(|_| ());
        assert!(
            matches!(refused, Err(Error::InvalidOption(m)) if m.contains("600000")),
            "{ms}: {refused:?}"
        );
    }
    // A refused timeout sends nothing (the client was never made).
    reset().await;
    assert!(agent().with_timeout(600_001).is_err());
    let (lines, _) = requests().await;
    assert!(lines.is_empty(), "{lines:?}");
}

//! Every console page through `tower::ServiceExt::oneshot`, against a real SQLite store in a
//! temporary directory: status, key content, escaping of hostile names, the simulator's
//! flows, the console switch, the login and the cross-site check.

use crate::testing::{self, Reply, TestApp};
use crate::{sessions, ServerConfig};
use axum::http::{header, HeaderMap, StatusCode};
use scamguard_core::Case;

/// The shared harness, with the console's own ways to read a page.
struct T(TestApp);

impl std::ops::Deref for T {
    type Target = TestApp;
    fn deref(&self) -> &TestApp {
        &self.0
    }
}

struct Page {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl From<Reply> for Page {
    fn from(r: Reply) -> Page {
        Page {
            status: r.status,
            headers: r.headers,
            body: r.text,
        }
    }
}

impl Page {
    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    fn has(&self, s: &str) -> bool {
        self.body.contains(s)
    }
}

fn config() -> ServerConfig {
    testing::config()
}

async fn start(config: ServerConfig) -> T {
    T(TestApp::start(config).await)
}

impl T {
    async fn get(&self, path: &str) -> Page {
        self.get_with(path, &[]).await
    }

    async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        self.0.get_with(path, headers).await.into()
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        self.post_with(path, fields, &[]).await
    }

    async fn post_with(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        self.0.post_form(path, fields, headers).await.into()
    }

    /// Starts a simulated call with the compose form; returns its session id.
    async fn compose(&self, fields: &[(&str, &str)]) -> String {
        let r = self.post("/simulator/start", fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        sim_id(&r)
    }

    async fn preset(&self, name: &str) -> String {
        let r = self.post(&format!("/simulator/preset/{name}"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        sim_id(&r)
    }

    /// One step through the step forms; expects the redirect back to the call.
    async fn step(&self, id: &str, fields: &[(&str, &str)]) {
        let r = self.post(&format!("/simulator/{id}/events"), fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{fields:?}: {}", r.body);
        assert_eq!(r.location(), format!("/simulator/{id}"));
    }

    /// Opens a session the way a platform would, through the API's code path.
    async fn api_session(&self, case: &str) -> String {
        let case = Case::from_json(case).unwrap();
        sessions::open(&self.state, case).await.unwrap().session_id
    }
}

fn sim_id(r: &Page) -> String {
    let loc = r.location();
    assert!(loc.starts_with("/simulator/ses_"), "{loc}");
    loc.trim_start_matches("/simulator/").to_string()
}

fn is_html(p: &Page) -> bool {
    p.headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

const WECHAT: &str = r#"{"channel": "video_call", "locale": "zh-Hans",
  "from": {"handle": "+86 171 0000 1234", "display_name": "微信客服", "in_contacts": false},
  "events": [{"type": "call_offer"}, {"type": "screen_share_request", "initiator": "remote", "app": "facetime"}]}"#;

#[tokio::test]
async fn the_front_page_lists_live_sessions_and_recent_verdicts() {
    let t = start(config()).await;
    let r = t.get("/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(is_html(&r));
    assert!(r.has("data-testid=\"no-sessions\"") && r.has("No warn or block verdicts yet"));
    assert!(r.has("http-equiv=\"refresh\""), "reloads itself");
    assert!(!t.get("/?refresh=off").await.has("http-equiv"));

    let id = t.api_session(WECHAT).await;
    let r = t.get("/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.has(&format!("href=\"/sessions/{id}\"")), "{}", r.body);
    assert!(r.has("data-testid=\"verdicts\""));
    assert!(r.has("data-action=\"block\""));
    assert!(
        r.has("claimed_body_asks_never_do"),
        "rules of the audit record"
    );
    assert!(r.has("claims “<bdi class=\"untrusted\">微信客服</bdi>”"));
    assert!(r.has("高度疑似诈骗"), "short explanation");
    assert!(!r.has("171 0000"), "no handle");
}

#[tokio::test]
async fn a_session_page_shows_each_event_and_its_verdict_without_text() {
    for retain in [false, true] {
        let t = start(ServerConfig {
            retain_text: retain,
            ..config()
        })
        .await;
        let id = t
            .api_session(
                r#"{"channel": "video_call", "locale": "zh-Hant",
                 "from": {"handle": "+852 5555 0000", "display_name": "微信客服"},
                 "events": [{"type": "call_offer", "id": "e-1"},
                            {"type": "speech", "speaker": "remote", "text": "晚上吃飯 MARKER-7731"},
                            {"type": "screen_share_request", "initiator": "remote", "app": "facetime"}]}"#,
            )
            .await;
        let r = t.get(&format!("/sessions/{id}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(is_html(&r));
        assert!(r.has(&id));
        for kind in [
            "session_opened",
            "call_offer",
            "speech",
            "screen_share_request",
        ] {
            assert!(r.has(&format!("data-type=\"{kind}\"")), "{kind}");
        }
        assert!(r.has("deny_screen_share"));
        assert!(
            r.has("lang=\"zh-Hant\""),
            "explanation in the session's locale"
        );
        assert!(r.has("螢幕"), "traditional Chinese explanation");
        assert!(r.has("screen_share_requested") && r.has("facetime, asked by the caller"));
        assert!(r.has("e-1"), "event id");
        assert_eq!(r.has("MARKER-7731"), retain, "text only with retention");
        if !retain {
            assert!(r.has("not retained"));
        }
        assert!(!r.has("5555 0000"), "no handle");
    }
    let t = start(config()).await;
    let r = t.get("/sessions/ses_nope").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(is_html(&r) && r.has("No session with this id"));
    let long = "x".repeat(200);
    assert_eq!(
        t.get(&format!("/sessions/{long}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn hostile_display_names_are_escaped_and_bidi_is_made_visible() {
    let t = start(config()).await;
    let script = "<script>alert(1)</script>";
    let a = t
        .compose(&[
            ("display_name", script),
            ("handle", "+1 213 555 0100"),
            ("locale", "en"),
            ("channel", "video_call"),
        ])
        .await;
    // A right-to-left override: shows as 厦门市公安局, is stored reversed.
    let bidi = "厦门市\u{202e}局安公";
    let b = t
        .compose(&[
            ("display_name", bidi),
            ("handle", "+1 213 555 0101\u{202e}"),
            ("locale", "zh-Hans"),
        ])
        .await;
    for path in [
        "/".to_string(),
        format!("/sessions/{a}"),
        format!("/simulator/{a}"),
        format!("/sessions/{b}"),
        format!("/simulator/{b}"),
        "/simulator".to_string(),
    ] {
        let r = t.get(&path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(!r.has("<script>"), "{path}: unescaped markup");
        assert!(
            !r.has("\u{202e}"),
            "{path}: a raw override reorders the page"
        );
    }
    let r = t.get(&format!("/sessions/{a}")).await;
    assert!(r.has("&lt;script&gt;alert(1)&lt;/script&gt;"), "{}", r.body);
    let r = t.get(&format!("/simulator/{a}")).await;
    assert!(r.has("&lt;script&gt;alert(1)&lt;/script&gt;"));

    // The analyst sees the hidden character; the phone shows the name as the user sees it,
    // and the engine still catches the claim.
    let r = t.get(&format!("/sessions/{b}")).await;
    assert!(r.has("⟨U+202E⟩"), "{}", r.body);
    assert!(r.has("<bdi class=\"untrusted\">"));
    let r = t.get(&format!("/simulator/{b}")).await;
    assert!(
        r.has("<bdi class=\"untrusted\">厦门市公安局</bdi>"),
        "{}",
        r.body
    );
    assert!(r.has("data-testid=\"banner\""));
}

#[tokio::test]
async fn invisible_characters_in_sender_text_are_shown_on_every_page() {
    let t = start(config()).await;
    // A zero-width space, word joiner, invisible times, byte-order mark, soft hyphen, a joiner
    // between two Han characters and a tag character: each hides in a name that reads 公安局.
    let hidden = [
        ("\u{200b}", "⟨U+200B⟩"),
        ("\u{2060}", "⟨U+2060⟩"),
        ("\u{2062}", "⟨U+2062⟩"),
        ("\u{feff}", "⟨U+FEFF⟩"),
        ("\u{00ad}", "⟨U+00AD⟩"),
        ("\u{200d}", "⟨U+200D⟩"),
        ("\u{e0041}", "⟨U+E0041⟩"),
    ];
    let name = format!(
        "公{}安局",
        hidden.iter().map(|(c, _)| *c).collect::<String>()
    );
    let app = "face\u{200b}time\u{2063}";
    let case = serde_json::json!({
        "channel": "video_call", "locale": "zh-Hans",
        "from": {"handle": "+1 213 555 0142", "display_name": name, "in_contacts": false},
        "events": [
            {"type": "call_offer", "id": "of\u{feff}fer"},
            {"type": "screen_share_request", "initiator": "remote", "app": app}
        ]
    });
    let id = t.api_session(&case.to_string()).await;
    let page = t.get(&format!("/sessions/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for (c, marker) in hidden {
        assert!(
            page.has(marker),
            "{marker} on the session page: {}",
            page.body
        );
        assert!(!page.has(c), "{marker}: raw on the session page");
    }
    for marker in [
        "face<span",
        "⟨U+200B⟩</span>time<span",
        "⟨U+2063⟩",
        "of<span",
        "⟨U+FEFF⟩</span>fer",
    ] {
        assert!(page.has(marker), "{marker}: {}", page.body);
    }
    // The front page names the claim as the user's phone showed it, with nothing hidden in it.
    let front = t.get("/").await;
    assert_eq!(front.status, StatusCode::OK);
    assert!(
        front.has("claims “<bdi class=\"untrusted\">公安局</bdi>”"),
        "{}",
        front.body
    );
    for (c, marker) in hidden {
        assert!(!front.has(c), "{marker}: raw on the front page");
    }
}

#[tokio::test]
async fn the_simulator_shows_what_the_user_sees_at_each_step() {
    let t = start(config()).await;
    let r = t.get("/simulator").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(is_html(&r));
    for name in ["police", "wechat", "mum", "bank"] {
        assert!(
            r.has(&format!("action=\"/simulator/preset/{name}\"")),
            "{name}"
        );
    }
    assert!(r.has("FaceTime 公安局 from +1 213 (scam)"));
    assert!(r.has("name=\"case\""));

    let id = t.preset("police").await;
    let r = t.get(&format!("/simulator/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.has("data-testid=\"caller-label\" data-verified=\"false\""));
    assert!(r.has("未验证：自称“厦门市公安局”"));
    assert!(r.has("data-testid=\"banner\" data-action=\"block\""));
    assert!(
        r.has("疑似冒充公安诈骗，已拦截</strong>"),
        "the banner leads with the headline: {}",
        r.body
    );
    assert!(r.has("data-number=\"110\""), "official call-back number");
    assert!(r.has("+1 213 555 0147"), "the handle as typed");
    assert!(r.has("data-testid=\"script\""), "the preset's script");

    t.step(
        &id,
        &[
            ("type", "screen_share_request"),
            ("initiator", "remote"),
            ("app", "facetime"),
            ("eid", "s1"),
        ],
    )
    .await;
    let r = t.get(&format!("/simulator/{id}")).await;
    assert!(
        r.has("data-directive=\"deny_screen_share\"><svg") && r.has("</svg> 屏幕共享已被阻止"),
        "{}",
        r.body
    );
    t.step(
        &id,
        &[
            ("type", "otp_received"),
            ("sender", "95588"),
            ("text", "验证码：392817"),
        ],
    )
    .await;
    t.step(
        &id,
        &[
            ("type", "app_foreground"),
            ("app", "工商银行"),
            ("category", "banking"),
        ],
    )
    .await;
    t.step(
        &id,
        &[
            ("type", "payment"),
            ("amount", "50000"),
            ("currency", "CNY"),
            ("new_payee", "on"),
        ],
    )
    .await;
    let r = t.get(&format!("/simulator/{id}")).await;
    assert!(r.has("data-directive=\"hide_otp\""));
    assert!(r.has("data-testid=\"otp\" data-hidden=\"true\""));
    let phone = r.body.split("class=\"steps\"").next().unwrap();
    assert!(
        phone.contains("••••••") && !phone.contains("392817"),
        "the passcode is hidden"
    );
    assert!(r.has("data-directive=\"hold_payment\" data-minutes=\"30\""));
    assert!(r.has("付款已暂停 30 分钟 · 50000元"), "{}", r.body);
    assert!(r.has("data-number=\"110\""));
    // The analyst panel: score, signals with evidence, rules.
    assert!(r.has("data-testid=\"score\""));
    assert!(r.has("payment_new_payee") && r.has("50000 CNY"));
    assert!(r.has("passcode_during_risky_call"));

    // A double submission (same event id) is applied once.
    let before = t.state.store().events(&id).await.unwrap().len();
    t.step(&id, &[("type", "call_ended"), ("eid", "end-1")])
        .await;
    t.step(&id, &[("type", "call_ended"), ("eid", "end-1")])
        .await;
    assert_eq!(t.state.store().events(&id).await.unwrap().len(), before + 1);
    assert!(t.get(&format!("/simulator/{id}")).await.has("通话已结束"));

    // It is a real session: on the front page, with a session page.
    assert!(t.get("/").await.has(&format!("/sessions/{id}")));
    let r = t.get(&format!("/sessions/{id}")).await;
    assert!(r.has("data-type=\"payment\"") && r.has("this call in the simulator"));
    assert!(
        !r.has("continue this call"),
        "an ended call is not continued"
    );
}

#[tokio::test]
async fn family_and_verified_presets_do_not_warn() {
    let t = start(config()).await;
    let id = t.preset("mum").await;
    let r = t
        .post(&format!("/simulator/{id}/next"), &[("all", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = t.get(&format!("/simulator/{id}")).await;
    assert!(
        r.has("data-testid=\"phone\" lang=\"zh-Hans\" data-action=\"allow\""),
        "{}",
        r.body
    );
    assert!(!r.has("data-testid=\"banner\""));
    assert!(!r.has("data-directive="));
    assert!(r.has("played to the end"));
    assert!(r.has("通话已结束"));

    let id = t.preset("bank").await;
    t.post(&format!("/simulator/{id}/next"), &[("all", "1")])
        .await;
    let r = t.get(&format!("/simulator/{id}")).await;
    assert!(!r.has("data-testid=\"banner\""), "{}", r.body);
    assert!(r.has("data-testid=\"caller-label\" data-verified=\"true\""));
    assert!(r.has("已验证"));
}

#[tokio::test]
async fn a_pasted_case_replays_one_step_at_a_time() {
    let t = start(config()).await;
    let case = r#"{"title": "Apple support asks for the screen", "channel": "video_call", "locale": "en",
        "from": {"handle": "+1 415 555 0100", "display_name": "Apple Support"},
        "events": [{"type": "call_offer"},
                   {"type": "speech", "speaker": "remote", "text": "Your iCloud was hacked. SECRET-4410"},
                   {"type": "screen_share_request", "initiator": "remote"},
                   {"type": "call_ended"}]}"#;
    let r = t.post("/simulator/replay", &[("case", case)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = sim_id(&r);
    let page = t.get(&format!("/simulator/{id}")).await;
    assert!(page.has("Apple support asks for the screen"));
    assert!(page.has("step 0 of 3"), "{}", page.body);
    assert!(!page.has("SECRET-4410"), "no text without retention");
    assert!(page.has("data-testid=\"phone\" lang=\"en\""));

    // Two clicks on the same page play one step.
    for _ in 0..2 {
        let r = t
            .post(&format!("/simulator/{id}/next"), &[("at", "0")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    assert!(t.get(&format!("/simulator/{id}")).await.has("step 1 of 3"));
    t.post(&format!("/simulator/{id}/next"), &[("at", "1")])
        .await;
    let page = t.get(&format!("/simulator/{id}")).await;
    assert!(page.has("step 2 of 3"));
    assert!(page.has("Screen sharing denied"), "{}", page.body);
    assert!(page.has("data-testid=\"banner\""));

    // Bad cases name the field at fault.
    let r = t
        .post(
            "/simulator/replay",
            &[("case", r#"{"channel": "video_call"}"#)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.has("from: missing field"), "{}", r.body);
    let r = t.post("/simulator/replay", &[("case", "{not json")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.has("invalid JSON"));
}

#[tokio::test]
async fn the_simulator_follows_the_session_locale() {
    let t = start(config()).await;
    for (locale, denied) in [
        ("en", "Screen sharing denied"),
        ("zh-Hant", "螢幕分享已被阻止"),
    ] {
        let id = t
            .compose(&[
                ("display_name", "微信客服"),
                ("handle", "+1 213 555 0102"),
                ("locale", locale),
            ])
            .await;
        t.step(
            &id,
            &[("type", "screen_share_request"), ("initiator", "remote")],
        )
        .await;
        let r = t.get(&format!("/simulator/{id}")).await;
        assert!(r.has(&format!("lang=\"{locale}\"")), "{locale}");
        assert!(r.has(denied), "{locale}: {}", r.body);
    }
}

#[tokio::test]
async fn bad_input_is_a_page_that_names_the_field() {
    let t = start(config()).await;
    let r = t
        .post(
            "/simulator/start",
            &[("display_name", "x"), ("handle", "  ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(is_html(&r) && r.has("from.handle"), "{}", r.body);
    assert!(r.has("value=\"x\""), "the form keeps what was typed");

    let id = t.compose(&[("handle", "+86 138 0000 0000")]).await;
    let r = t
        .post(
            &format!("/simulator/{id}/events"),
            &[("type", "payment"), ("amount", "lots")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.has("amount: expected a number"), "{}", r.body);
    let r = t
        .post(
            &format!("/simulator/{id}/events"),
            &[("type", "speech"), ("speaker", "remote")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.has("text: missing field"));
    let r = t
        .post(&format!("/simulator/{id}/events"), &[("type", "teleport")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.has("unknown event type"));
    assert_eq!(
        t.post("/simulator/preset/nope", &[]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn only_simulated_calls_can_be_stepped() {
    let t = start(config()).await;
    let id = t.api_session(WECHAT).await;
    let r = t.get(&format!("/simulator/{id}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.has(&format!("/sessions/{id}")));
    let r = t
        .post(
            &format!("/simulator/{id}/events"),
            &[("type", "call_ended")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        t.state.store().events(&id).await.unwrap().len(),
        3,
        "unchanged"
    );
}

#[tokio::test]
async fn form_posts_from_other_sites_are_refused() {
    let t = start(config()).await;
    let evil = [("origin", "http://evil.test"), ("host", "127.0.0.1:8080")];
    let r = t.post_with("/simulator/preset/police", &[], &evil).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t
        .post_with(
            "/simulator/preset/police",
            &[],
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let same = [
        ("origin", "http://127.0.0.1:8080"),
        ("host", "127.0.0.1:8080"),
        ("sec-fetch-site", "same-origin"),
    ];
    let r = t.post_with("/simulator/preset/police", &[], &same).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = t.get("/console.css").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    assert!(r.has(".phone"));
}

#[tokio::test]
async fn the_console_can_be_turned_off() {
    let t = start(ServerConfig {
        console: false,
        ..config()
    })
    .await;
    for path in ["/", "/simulator", "/console.css", "/login"] {
        let r = t.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(r.has("\"not_found\""), "the API's JSON 404");
    }
    assert_eq!(t.get("/healthz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_login_with_an_admin_key_guards_every_page() {
    let t = start(ServerConfig {
        console_login: true,
        ..config()
    })
    .await;
    let id = t.api_session(WECHAT).await;
    for path in ["/", "/simulator", &format!("/sessions/{id}")] {
        let r = t.get(path).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            r.location().starts_with("/login?next=/"),
            "{path}: {}",
            r.location()
        );
    }
    let r = t.post("/simulator/preset/police", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"));
    assert_eq!(t.get("/console.css").await.status, StatusCode::OK);

    let r = t.get("/login?next=/simulator").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.has("name=\"key\"") && r.has("value=\"/simulator\""));

    let r = t
        .post("/login", &[("key", "sg_wrong"), ("next", "/")])
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.has("unknown or revoked"));
    let r = t.post("/login", &[("key", &t.scan), ("next", "/")]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.has("lacks the admin scope"));

    let r = t
        .post("/login", &[("key", &t.admin), ("next", "//evil.test/")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/", "never redirected off the site");
    let cookie = r.headers[header::SET_COOKIE].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "served over plain HTTP: {cookie}"
    );
    let pair = cookie.split(';').next().unwrap().to_string();

    let r = t.get_with("/", &[("cookie", &pair)]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.has("action=\"/logout\""));
    let r = t
        .get_with(&format!("/sessions/{id}"), &[("cookie", &pair)])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = t
        .post_with("/simulator/preset/mum", &[], &[("cookie", &pair)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/simulator/ses_"));
    let r = t
        .get_with("/", &[("cookie", &format!("{}=sg_forged", super::COOKIE))])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let r = t.post_with("/logout", &[], &[("cookie", &pair)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
}

#[tokio::test]
async fn a_message_thread_shows_its_restrictions() {
    let t = start(config()).await;
    let id = t
        .compose(&[
            ("display_name", "工商银行"),
            ("handle", "+63 912 555 0000"),
            ("channel", "message"),
        ])
        .await;
    let r = t.get(&format!("/simulator/{id}")).await;
    assert!(r.has("信息"), "the messages app");
    assert!(
        !r.has("data-testid=\"step-call_ended\""),
        "no call steps in a thread"
    );
    t.step(
        &id,
        &[
            ("type", "message"),
            ("text", "您的账户已冻结，请点击 http://icbc-verify.com 解冻"),
        ],
    )
    .await;
    let r = t.get(&format!("/simulator/{id}")).await;
    assert!(r.has("data-testid=\"banner\""), "{}", r.body);
    assert!(r.has("data-directive=\"disable_links\""), "{}", r.body);
    assert!(
        !r.has("icbc-verify.com 解冻"),
        "no message text without retention"
    );
}

/// The pages a person reads use no glyph that renders as an empty box without an emoji
/// font (Debian's Chromium has none): indicators are inline SVG or words.
#[tokio::test]
async fn no_page_relies_on_an_emoji_font() {
    let t = start(config()).await;
    let id = t.preset("police").await;
    t.post(&format!("/simulator/{id}/next"), &[("at", "0")])
        .await;
    for step in [
        &[("type", "screen_share_request"), ("initiator", "remote")][..],
        &[("type", "screen_share_started")],
        &[
            ("type", "otp_received"),
            ("sender", "95588"),
            ("text", "验证码：392817"),
        ],
        &[
            ("type", "app_install"),
            ("app", "AnyDesk"),
            ("source", "link"),
        ],
        &[
            ("type", "payment"),
            ("amount", "50000"),
            ("currency", "CNY"),
            ("new_payee", "on"),
        ],
    ] {
        t.step(&id, step).await;
    }
    let wechat = t.api_session(WECHAT).await;
    for path in [
        "/".to_string(),
        "/simulator".to_string(),
        format!("/simulator/{id}"),
        format!("/sessions/{id}"),
        format!("/sessions/{wechat}"),
    ] {
        let r = t.get(&path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        let risky: Vec<char> = r
            .body
            .chars()
            .filter(|c| super::icons::is_risky_glyph(*c))
            .collect();
        assert!(risky.is_empty(), "{path}: {risky:?}");
    }
    let r = t.get(&format!("/simulator/{id}")).await;
    assert!(r.has("<svg class=\"icon\""), "indicators are drawn");
}

#[tokio::test]
async fn the_front_page_shows_true_counts_and_ended_calls() {
    let t = start(config()).await;
    let id = t
        .api_session(
            r#"{"channel": "video_call", "locale": "zh-Hans",
             "from": {"handle": "+86 139 0000 0001", "display_name": "老王"},
             "events": [{"type": "call_offer"}]}"#,
        )
        .await;
    // Twelve more events: the session row itself is not rewritten for them (the action does
    // not rise), yet the page must show the count and time of the last one.
    for i in 0..12 {
        let e = scamguard_core::Event::from_json(&format!(
            r#"{{"type": "app_foreground", "app": "设置", "category": "settings", "id": "x{i}"}}"#
        ))
        .unwrap();
        sessions::apply(&t.state, id.clone(), e).await.unwrap();
    }
    let row = |body: &str| {
        let start = body
            .find(&format!("data-session=\"{id}\""))
            .expect("listed");
        body[start..start + body[start..].find("</tr>").unwrap()].to_string()
    };
    let r = t.get("/?refresh=off").await;
    let tr = row(&r.body);
    assert!(tr.contains("data-testid=\"events\">13<"), "{tr}");
    assert!(tr.contains("data-status=\"open\""), "{tr}");
    assert!(tr.contains("just now"), "{tr}");
    assert!(r.has("data-testid=\"open-count\">1 open"), "{}", r.body);

    let end = scamguard_core::Event::from_json(r#"{"type": "call_ended"}"#).unwrap();
    sessions::apply(&t.state, id.clone(), end).await.unwrap();
    let r = t.get("/?refresh=off").await;
    let tr = row(&r.body);
    assert!(tr.contains("data-status=\"ended\""), "{tr}");
    assert!(tr.contains("data-testid=\"events\">14<"), "{tr}");
    let r = t.get(&format!("/sessions/{id}")).await;
    assert!(
        r.has("data-testid=\"status\"><span class=\"badge ended\""),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn a_session_page_shows_what_each_event_changed_and_the_verdict_once() {
    let t = start(config()).await;
    let id = t.api_session(WECHAT).await;
    let r = t.get(&format!("/sessions/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.body.matches("class=\"verdict\"").count(),
        1,
        "the full verdict once"
    );
    assert_eq!(r.body.matches("data-testid=\"verdict-now\"").count(), 1);
    assert_eq!(
        r.body.matches("data-testid=\"changes\"").count(),
        3,
        "one per event"
    );
    let item = |kind: &str| {
        let start = r.body.find(&format!("data-type=\"{kind}\"")).unwrap();
        let end = r.body[start..]
            .find("</li>")
            .map_or(r.body.len(), |e| start + e);
        r.body[start..end].to_string()
    };
    let opened = item("session_opened");
    assert!(opened.contains("opened at"), "{opened}");
    assert!(
        opened.contains("data-added-signal=\"claims_organisation\""),
        "{opened}"
    );
    let share = item("screen_share_request");
    assert!(
        share.contains("data-added-signal=\"screen_share_requested\""),
        "{share}"
    );
    assert!(share.contains("data-action-from=\"warn\""), "{share}");
    assert!(share.contains("data-action-to=\"block\""), "{share}");
    assert!(
        share.contains("data-fired-rule=\"claimed_body_asks_never_do\""),
        "{share}"
    );
    assert!(
        share.contains("data-directive-code=\"deny_screen_share\""),
        "{share}"
    );
    assert!(
        !share.contains("data-added-signal=\"claims_organisation\""),
        "only what is new"
    );
    assert!(
        r.has("data-testid=\"headline\""),
        "the headline with the verdict"
    );
}

#[tokio::test]
async fn an_ended_call_takes_no_more_steps() {
    let t = start(config()).await;
    let id = t.preset("police").await;
    let r = t.get(&format!("/simulator/{id}")).await;
    assert!(r.has("data-testid=\"step-speech\"") && r.has("data-testid=\"next-step\""));
    t.step(&id, &[("type", "call_ended"), ("eid", "end")]).await;
    let before = t.state.store().events(&id).await.unwrap().len();
    let r = t.get(&format!("/simulator/{id}")).await;
    assert!(r.has("通话已结束"));
    assert!(r.has("data-testid=\"finished\""), "{}", r.body);
    assert!(r.has("<span class=\"badge ended\""), "ended, not open");
    assert!(!r.has("badge open"), "{}", r.body);
    assert!(!r.has("data-testid=\"step-speech\""), "no step forms");
    assert!(!r.has("data-testid=\"next-step\""), "no script steps");
    let r = t
        .post(
            &format!("/simulator/{id}/events"),
            &[
                ("type", "speech"),
                ("speaker", "remote"),
                ("text", "还在吗"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.has("The call has ended"));
    let r = t
        .post(&format!("/simulator/{id}/next"), &[("all", "1")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        t.state.store().events(&id).await.unwrap().len(),
        before,
        "nothing was applied"
    );
    // The analyst's event list reads as events with what they changed.
    let r = t.get(&format!("/simulator/{id}")).await;
    assert!(r.has("data-testid=\"events\""));
    assert!(
        !r.has("<ol class=\"plain\">"),
        "no numbered list beside the #seq"
    );
}

#[tokio::test]
async fn an_english_call_is_simulated_with_english_defaults() {
    let t = start(config()).await;
    let id = t
        .compose(&[
            ("display_name", "Chase Fraud Dept"),
            ("handle", "+1 415 555 0100"),
            ("locale", "en"),
        ])
        .await;
    let r = t.get(&format!("/simulator/{id}")).await;
    let steps = r.body.split("class=\"steps\"").nth(1).unwrap();
    let steps = steps.split("data-testid=\"analyst\"").next().unwrap();
    assert!(
        steps.contains("value=\"USD\"") && steps.contains("value=\"Chase\""),
        "{steps}"
    );
    for zh in ["工商银行", "95588", "CNY", "【"] {
        assert!(!steps.contains(zh), "{zh} in an English call");
    }
    let page = t.get("/simulator").await;
    assert!(page.has("Channel 渠道"));
    t.step(
        &id,
        &[
            ("type", "payment"),
            ("amount", "2500"),
            ("currency", "USD"),
            ("new_payee", "on"),
        ],
    )
    .await;
    let r = t.get(&format!("/simulator/{id}")).await;
    assert!(
        r.has("$2,500"),
        "the phone writes money the reader's way: {}",
        r.body
    );
}

#[tokio::test]
async fn the_simulator_shows_what_a_bank_would_be_told_and_the_session_page_its_lookups() {
    let dir = tempfile::tempdir().unwrap();
    let t = T(TestApp::with(testing::Options {
        config: Some(ServerConfig {
            assertion_keys: Some(dir.path().join("keys")),
            ..config()
        }),
        ..testing::Options::default()
    })
    .await);
    t.state.load_assertion_keys().unwrap();
    let id = t.preset("police").await;
    let page = t.get(&format!("/simulator/{id}")).await;
    assert!(page.has(r#"data-testid="bank-claims""#), "{}", page.body);
    // The claims as JSON, escaped for HTML.
    for claim in [
        "&quot;active&quot;: true",
        "&quot;claimed_category&quot;: &quot;police&quot;",
        "&quot;authority_unverified&quot;: true",
    ] {
        assert!(page.has(claim), "{claim}: {}", page.body);
    }
    assert!(!page.has("&quot;213") && !page.has("0147&quot;"));
    let page = t.get(&format!("/sessions/{id}")).await;
    assert!(page.has("No bank has asked"));
    let caller = crate::auth::Caller {
        key_id: "kbank0001".into(),
        scopes: vec![scamguard_store::Scope::Bank].into(),
    };
    crate::risk::lookup(&t.state, &caller, "+8613800000000")
        .await
        .unwrap();
    let page = t.get(&format!("/sessions/{id}")).await;
    assert!(page.has(r#"data-testid="risk-lookup""#) && page.has("kbank0001"));
}

/// Issue 14, item 2: `next` leads only to a console page; control characters in it
/// answered 500 and a tab before a second slash led to another site.
#[tokio::test]
async fn after_login_next_never_leaves_the_console() {
    let hostile = [
        "/%09/evil.example/x",
        "/%0A",
        "/%0D%0A",
        "/%00",
        "/%7F",
        "//evil.example",
        "/%5Cevil.example",
        "https://evil.example/",
        "/%E2%80%AE",
    ];
    // Without a login the form sends straight on.
    let open = start(config()).await;
    for n in hostile {
        let r = open.get(&format!("/login?next={n}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "next={n}");
        assert_eq!(r.location(), "/", "next={n}");
    }
    let r = open.get("/login?next=/simulator").await;
    assert_eq!(r.location(), "/simulator");

    let t = start(ServerConfig {
        console_login: true,
        ..config()
    })
    .await;
    for n in [
        "/\t/evil.example/x",
        "/\n",
        "/\r\n",
        "/\0",
        "/\u{7f}",
        "/\\evil",
    ] {
        let r = t.post("/login", &[("key", &t.admin), ("next", n)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "next={n:?}");
        assert_eq!(r.location(), "/", "next={n:?}");
        let r = t
            .get(&format!("/login?next={}", super::login::encode(n)))
            .await;
        assert_eq!(r.status, StatusCode::OK, "next={n:?}");
        assert!(r.has("name=\"next\" value=\"/\""), "next={n:?}: {}", r.body);
    }
    let r = t
        .post("/login", &[("key", &t.admin), ("next", "/sessions/ses_01")])
        .await;
    assert_eq!(r.location(), "/sessions/ses_01");
}

/// Issue 14, item 9: the cookie holds a random id of a login the server keeps, never the
/// admin key; a logout or a revoked key ends it, and an old cookie then opens nothing.
#[tokio::test]
async fn console_logins_are_held_by_the_server() {
    let t = start(ServerConfig {
        console_login: true,
        ..config()
    })
    .await;
    async fn login(t: &T) -> String {
        let r = t.post("/login", &[("key", &t.admin), ("next", "/")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let cookie = r.headers[header::SET_COOKIE].to_str().unwrap().to_string();
        cookie.split(';').next().unwrap().to_string()
    }
    let first = login(&t).await;
    let second = login(&t).await;
    let value = first.split_once('=').unwrap().1;
    assert!(
        !first.contains(&t.admin) && !first.contains("sg_"),
        "{first}"
    );
    assert_eq!(value.len(), 43, "32 random bytes: {value}");
    assert_ne!(first, second, "each login its own id");
    for pair in [&first, &second] {
        assert_eq!(
            t.get_with("/", &[("cookie", pair)]).await.status,
            StatusCode::OK
        );
    }
    // The admin key as a cookie, the way the console used to keep it, opens nothing.
    let key_cookie = format!("{}={}", super::COOKIE, t.admin);
    let r = t.get_with("/", &[("cookie", &key_cookie)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let r = t.post_with("/logout", &[], &[("cookie", &first)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login");
    let r = t.get_with("/", &[("cookie", &first)]).await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "the old cookie after logout"
    );
    assert!(r.location().starts_with("/login"));
    let r = t.get_with("/login", &[("cookie", &first)]).await;
    assert_eq!(r.status, StatusCode::OK, "the form again, not a redirect");
    assert_eq!(
        t.get_with("/", &[("cookie", &second)]).await.status,
        StatusCode::OK
    );

    // Revoking the key ends its other logins at once.
    assert!(t.state.store().revoke_key(&t.admin_id, 1).await.unwrap());
    let r = t.get_with("/", &[("cookie", &second)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the key was revoked");
}

/// Issue 14, item 9: behind an https public URL the cookie is `Secure`.
#[tokio::test]
async fn the_login_cookie_is_secure_behind_https() {
    for (url, secure) in [
        ("https://console.example.org", true),
        ("http://console.example.org", false),
    ] {
        let t = start(ServerConfig {
            console_login: true,
            public_url: Some(crate::config::PublicUrl::parse(url).unwrap()),
            ..config()
        })
        .await;
        let r = t.post("/login", &[("key", &t.admin), ("next", "/")]).await;
        let cookie = r.headers[header::SET_COOKIE].to_str().unwrap().to_string();
        assert_eq!(cookie.ends_with("; Secure"), secure, "{url}: {cookie}");
        let r = t.post("/logout", &[]).await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "no login: back to the form"
        );
    }
}

/// Issue 14, item 9: five failed logins a minute from one address, then 429 with
/// Retry-After for that address only, even with the right key.
#[tokio::test]
async fn failed_logins_are_throttled_per_address() {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    let t = start(ServerConfig {
        console_login: true,
        ..config()
    })
    .await;
    let attempt = |from: &str, key: &str| {
        let addr: SocketAddr = from.parse().unwrap();
        let body = testing::form_urlencoded(&[("key", key), ("next", "/")]);
        axum::http::Request::builder()
            .method("POST")
            .uri("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .extension(ConnectInfo(addr))
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    for i in 0..super::throttle::FAILURES {
        let r = t.send(attempt("192.0.2.7:4000", "sg_guess")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "failure {i}");
    }
    let r = t.send(attempt("192.0.2.7:4001", &t.admin)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.header("retry-after").parse().unwrap();
    assert!((1..=60).contains(&wait), "Retry-After: {wait}");
    assert!(r.has("Too many failed logins"), "{}", r.text);
    assert!(r.header(header::SET_COOKIE.as_str()).is_empty());

    let r = t.send(attempt("192.0.2.8:4000", &t.admin)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "another address logs in");
    // Successes do not count: an admin who logs in often is never held back.
    for _ in 0..super::throttle::FAILURES + 2 {
        let r = t.send(attempt("192.0.2.8:4000", &t.admin)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
}

/// Issue 14, item 9: every page and every API answer carries the security headers.
#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let t = start(config()).await;
    let sim = t.preset("police").await;
    let mut replies = Vec::new();
    for path in [
        "/",
        "/simulator",
        &format!("/simulator/{sim}"),
        &format!("/sessions/{sim}"),
        "/sessions/ses_missing",
        "/console.css",
        "/login",
        "/healthz",
        "/openapi.json",
        "/metrics",
        "/v1/sessions/ses_x",
        "/no/such/route",
    ] {
        replies.push((path.to_string(), t.0.get(path, None).await));
    }
    replies.push((
        "POST /v1/messages/scan".into(),
        t.0.post(
            "/v1/messages/scan",
            &t.scan,
            serde_json::json!({"text": "hi"}),
        )
        .await,
    ));
    for (what, r) in &replies {
        let csp = r.header("content-security-policy");
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{what}: {csp:?}"
        );
        assert!(!csp.contains("unsafe-inline"), "{what}");
        assert_eq!(r.header("x-frame-options"), "DENY", "{what}");
        assert_eq!(r.header("x-content-type-options"), "nosniff", "{what}");
        assert_eq!(r.header("referrer-policy"), "same-origin", "{what}");
    }
}

/// The Content-Security-Policy forbids inline script and style: no page may use them.
#[tokio::test]
async fn no_page_has_inline_script_or_style() {
    let t = start(config()).await;
    let sim = t.preset("police").await;
    t.step(
        &sim,
        &[
            ("type", "payment"),
            ("amount", "50000"),
            ("currency", "CNY"),
        ],
    )
    .await;
    let call = t
        .compose(&[
            ("display_name", "<script>x</script>"),
            ("handle", "+1 555 0100"),
        ])
        .await;
    let login = start(ServerConfig {
        console_login: true,
        ..config()
    })
    .await;
    let mut pages = vec![login.get("/login").await];
    for path in [
        "/".to_string(),
        "/simulator".to_string(),
        format!("/simulator/{sim}"),
        format!("/sessions/{sim}"),
        format!("/simulator/{call}"),
        "/sessions/ses_missing".to_string(),
    ] {
        pages.push(t.get(&path).await);
    }
    let handler = regex_lite_on_attr();
    for p in &pages {
        assert!(is_html(p));
        let lower = p.body.to_ascii_lowercase();
        assert!(!lower.contains("<script"), "{}", p.body);
        assert!(!lower.contains(" style="), "an inline style: {}", p.body);
        assert!(!lower.contains("<style"), "a style element: {}", p.body);
        assert!(!lower.contains("javascript:"), "{}", p.body);
        assert!(!handler(&lower), "an event handler attribute: {}", p.body);
    }
}

/// Whether HTML has an `on…=` event handler attribute.
fn regex_lite_on_attr() -> impl Fn(&str) -> bool {
    |html: &str| {
        html.match_indices(" on").any(|(i, _)| {
            let rest = &html[i + 3..];
            let name_len = rest.bytes().take_while(u8::is_ascii_lowercase).count();
            name_len > 0 && rest[name_len..].starts_with('=')
        })
    }
}

/// Issue 14, item 9: a console open without a login answers only requests sent to this
/// machine's names or the public URL's host (no DNS rebinding); the API is not concerned.
#[tokio::test]
async fn an_open_console_answers_only_its_own_host_names() {
    use crate::connection::LocalAddr;
    let t = start(ServerConfig {
        public_url: Some(crate::config::PublicUrl::parse("https://Console.Example.org/").unwrap()),
        ..config()
    })
    .await;
    let get = |host: &str, local: Option<&str>| {
        let mut b = axum::http::Request::builder()
            .uri("/")
            .header(header::HOST, host);
        if let Some(l) = local {
            b = b.extension(LocalAddr(l.parse().unwrap()));
        }
        b.body(axum::body::Body::empty()).unwrap()
    };
    for host in [
        "localhost",
        "localhost:8080",
        "127.0.0.1:8080",
        "[::1]:8080",
        "console.example.org",
        "CONSOLE.example.org.:443",
    ] {
        assert_eq!(
            t.send(get(host, None)).await.status,
            StatusCode::OK,
            "{host}"
        );
    }
    let r = t
        .send(get("192.168.1.5:8080", Some("192.168.1.5:8080")))
        .await;
    assert_eq!(r.status, StatusCode::OK, "the address it was reached at");
    for host in [
        "evil.example",
        "evil.example:8080",
        "localhost.evil.example",
        "127.0.0.1.nip.io",
        "192.168.1.5",
    ] {
        let r = t.send(get(host, Some("127.0.0.1:8080"))).await;
        assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST, "{host}");
        assert!(r.has("answers only at"), "{}", r.text);
    }
    let mut api = get("evil.example", None);
    *api.uri_mut() = "/healthz".parse().unwrap();
    assert_eq!(
        t.send(api).await.status,
        StatusCode::OK,
        "the API needs a key instead"
    );

    // Behind a login any host name may ask: the login protects the pages.
    let guarded = start(ServerConfig {
        console_login: true,
        ..config()
    })
    .await;
    let r = guarded.send(get("evil.example", None)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

const POLICE: &str = r#"{"channel": "video_call", "locale": "zh-Hans",
  "from": {"handle": "+1 213 555 0147", "display_name": "厦门市公安局"},
  "events": [{"type": "call_offer"}]}"#;

#[tokio::test]
async fn the_audit_page_finds_records_by_caller_time_and_action() {
    let t = start(config()).await;
    let r = t.get("/audit").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.has("data-testid=\"audit-search\"") && r.has("0 records found"),
        "{}",
        r.body
    );
    let wechat = t.api_session(WECHAT).await;
    let police = t.api_session(POLICE).await;

    let r = t.get("/audit").await;
    assert!(r.has(&format!("/sessions/{wechat}")) && r.has(&format!("/sessions/{police}")));

    // By caller: the handle as an analyst types it, matched by its hash; never in a URL.
    let r = t.post("/audit", &[("handle", "+86 171 0000 1234")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.has(&format!("/sessions/{wechat}")), "{}", r.body);
    assert!(!r.has(&format!("/sessions/{police}")));
    assert!(!r.has("href=\"/audit?"), "the search is not a link");
    let hash = t.state.hasher().hash("+86 171 0000 1234");
    assert!(r.has(&hash[..12]), "the caller's hash is shown");

    // By action: the WeChat call warned at its opening and blocked after the screen share.
    let r = t
        .post(
            "/audit",
            &[("handle", "+86 171 0000 1234"), ("action", "warn")],
        )
        .await;
    assert!(
        r.has("data-action=\"warn\"") && !r.has("<tr data-action=\"block\""),
        "{}",
        r.body
    );
    let r = t.post("/audit", &[("action", "block")]).await;
    assert!(r.has(&format!("/sessions/{police}")) && !r.has("<tr data-action=\"warn\""));

    // By time: nothing before the records were made, everything in a range around now.
    let r = t.post("/audit", &[("to", "2001-01-01")]).await;
    assert!(r.has("0 records found"), "{}", r.body);
    let now = scamguard_store::now_ms();
    let (from, to) = (
        super::view::time(now - 3_600_000),
        super::view::time(now + 3_600_000),
    );
    let r = t
        .post(
            "/audit",
            &[("from", &from), ("to", &to), ("session", &police)],
        )
        .await;
    assert!(r.has(&format!("/sessions/{police}")) && !r.has(&format!("/sessions/{wechat}")));

    // Bad input names the field.
    for (field, value, says) in [
        ("from", "yesterday", "from: \"yesterday\" is not a time"),
        ("action", "allow", "action: \"allow\" is not warn or block"),
        ("handle", &"9".repeat(300), "handle: at most 256 characters"),
    ] {
        let r = t.post("/audit", &[(field, value)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(r.has(&says.replace('"', "&quot;")), "{field}: {}", r.body);
    }
    let r = t
        .post("/audit", &[("from", "2026-12-02"), ("to", "2026-12-01")])
        .await;
    assert!(r.has("to: must be after from"));
}

#[tokio::test]
async fn the_registry_page_lists_organisations_keys_and_status() {
    let t = start(config()).await;
    let r = t.get("/registry").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.has("data-testid=\"no-organisations\""), "{}", r.body);
    let org = testing::hz_police_enrolment();
    let admin = t.admin.clone();
    let reply =
        t.0.post("/v1/admin/registry/organisations", &admin, org)
            .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let r = t.get("/registry").await;
    assert!(
        r.has("data-org=\"hz-police\" data-status=\"active\""),
        "{}",
        r.body
    );
    assert!(r.has("杭州市公安局") && r.has("Hangzhou Public Security Bureau"));
    assert!(r.has("+86 571 8728 0110") && r.has("police.hangzhou.gov.cn"));
    assert!(
        r.has("data-kid=\"hz-2026\" data-key-status=\"valid\""),
        "{}",
        r.body
    );
    assert!(r.has("1 organisation enrolled: 1 active"));
    assert!(!r.has("BEGIN PUBLIC KEY"), "no key material on the page");
    let reply =
        t.0.post(
            "/v1/admin/registry/organisations/hz-police/status",
            &admin,
            serde_json::json!({"status": "suspended", "reason": "test"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let r = t.get("/registry").await;
    assert!(r.has("data-status=\"suspended\""), "{}", r.body);
    assert!(r.has("0 active, 1 suspended"));
}

#[tokio::test]
async fn audit_and_registry_are_behind_the_admin_login() {
    let t = start(ServerConfig {
        console_login: true,
        ..config()
    })
    .await;
    for path in ["/audit", "/registry"] {
        let r = t.get(path).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(r.location(), format!("/login?next={path}"));
    }
    let r = t.post("/audit", &[("handle", "+86 171 0000 1234")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"));
    let r = t
        .post("/login", &[("key", &t.admin), ("next", "/audit")])
        .await;
    let pair = r.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    for path in ["/audit", "/registry"] {
        let r = t.get_with(path, &[("cookie", &pair)]).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
    }
    let r = t
        .post_with("/audit", &[("action", "block")], &[("cookie", &pair)])
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

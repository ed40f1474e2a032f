//! The anti-fraud loop's part of the store contract — reports, decisions, indicator counts,
//! campaigns joined and merged — run against SQLite (through the journal, as `serve` runs it)
//! always, and against PostgreSQL when `SCAMGUARD_TEST_POSTGRES_URL` names a server.

mod common;

use scamguard_core::intel::{CampaignStatus, Decision, Indicator, IndicatorKind};
use scamguard_store::intel::parse_campaign_id;
use scamguard_store::{
    prune, CampaignJoin, DecisionRecord, Prune, ReportQuery, ReportRecord, Retention, Store,
};
use std::sync::Arc;
use std::time::Duration;

common::journal_and_postgres_keep_the_contract!(contract, "intel");

const DAY: i64 = 86_400_000;
const T0: i64 = 1_800_000_000_000;

fn report(id: &str, session: &str, reporter: &str, caller: &str, counted: bool) -> ReportRecord {
    ReportRecord {
        id: id.into(),
        created: T0,
        session_id: session.into(),
        reporter_hash: reporter.into(),
        caller_hash: caller.into(),
        category: "fraud".into(),
        counted,
        reason: if counted {
            "counted"
        } else {
            "reporter_did_not_receive_it"
        }
        .into(),
        note: None,
        text: None,
        key_id: "k1".into(),
    }
}

fn join(session: &str, handle: &str, at: i64, inds: &[(IndicatorKind, &str)]) -> CampaignJoin {
    let mut indicators: Vec<(Indicator, bool)> = inds
        .iter()
        .map(|(k, v)| (Indicator::new(*k, *v), true))
        .collect();
    indicators.push((Indicator::caller(handle), true));
    CampaignJoin {
        session_id: session.into(),
        handle_hash: handle.into(),
        at,
        indicators,
        action: "block".into(),
        scripts: vec!["script_safe_account".into(), "script_secrecy".into()],
        claim: Some("cn_police".into()),
        floor: CampaignStatus::Open,
    }
}

async fn contract(store: Arc<dyn Store>) {
    use IndicatorKind::*;

    // Joins: a new campaign, a new handle naming the same account joins it, an unrelated
    // domain starts another, and a session naming both ties them into the older one.
    let a = store
        .join_campaign(&join("s1", "h1", T0, &[(BankAccount, "6222001")]))
        .await
        .unwrap();
    assert!(a.created);
    assert_eq!(a.before, CampaignStatus::Open);
    let b = store
        .join_campaign(&join("s2", "h2", T0 + DAY, &[(BankAccount, "6222001")]))
        .await
        .unwrap();
    assert_eq!((b.campaign, b.created), (a.campaign, false));
    let c = store
        .join_campaign(&join("s3", "h3", T0 + 2 * DAY, &[(Domain, "gov-cn.top")]))
        .await
        .unwrap();
    assert_ne!(c.campaign, a.campaign);
    let m = store
        .join_campaign(&join(
            "s4",
            "h4",
            T0 + 2 * DAY,
            &[(BankAccount, "6222001"), (Domain, "gov-cn.top")],
        ))
        .await
        .unwrap();
    assert_eq!(m.campaign, a.campaign.min(c.campaign));
    assert_eq!(m.absorbed, vec![a.campaign.max(c.campaign)]);

    // Joining again with a new indicator keeps the session where it is, counted once.
    let again = store
        .join_campaign(&join(
            "s1",
            "h1",
            T0 + 3 * DAY,
            &[(BankAccount, "6222001"), (CallbackNumber, "13800000000")],
        ))
        .await
        .unwrap();
    assert_eq!(again.campaign, m.campaign);

    let list = store.campaigns(100).await.unwrap();
    assert_eq!(list.len(), 1, "the merged campaign is not listed: {list:?}");
    let top = &list[0];
    assert_eq!((top.sessions, top.handles, top.reports), (4, 4, 0));
    assert_eq!(top.status, CampaignStatus::Open);
    assert_eq!((top.first_seen, top.last_seen), (T0, T0 + 3 * DAY));
    assert_eq!(top.scripts[0], "script_safe_account");
    assert_eq!(top.claims, ["cn_police"]);
    assert_eq!(
        top.daily.iter().map(|d| d.sessions).collect::<Vec<_>>(),
        [1, 1, 2],
        "sessions per day by when they joined"
    );
    // The absorbed campaign's id answers with the one it merged into.
    let absorbed = store.campaign(m.absorbed[0]).await.unwrap().unwrap();
    assert_eq!(parse_campaign_id(&absorbed.summary.id), Some(m.campaign));
    assert_eq!(absorbed.session_ids, ["s1", "s2", "s3", "s4"]);
    let account = absorbed
        .indicators
        .iter()
        .find(|i| i.kind == BankAccount)
        .unwrap();
    assert_eq!((account.value.as_str(), account.sessions), ("6222001", 3));
    assert!(absorbed.indicators.iter().any(|i| i.kind == CallbackNumber));
    assert_eq!(absorbed.caller_hashes.len(), 4);
    assert!(store.campaign(999_999).await.unwrap().is_none());
    assert_eq!(store.campaign_of("s3").await.unwrap(), Some(m.campaign));
    assert_eq!(store.campaign_of("nobody").await.unwrap(), None);

    // Flagged counts: once per session per indicator.
    let counts = store
        .indicator_counts(&["bank_account:6222001".into(), "domain:nowhere".into()])
        .await
        .unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!((counts[0].1.flagged, counts[0].1.allowed), (3, 0));
    store
        .count_allowed(&["callback_number:95588".into(), "domain:nowhere".into()])
        .await
        .unwrap();
    store
        .count_allowed(&["callback_number:95588".into()])
        .await
        .unwrap();
    let counts = store
        .indicator_counts(&["callback_number:95588".into()])
        .await
        .unwrap();
    assert_eq!(counts[0].1.allowed, 2);

    // A genuine indicator (joins = false) is recorded but joins nothing.
    let mut genuine = join("s5", "h5", T0 + 4 * DAY, &[]);
    genuine
        .indicators
        .push((Indicator::new(CallbackNumber, "95588"), false));
    let g = store.join_campaign(&genuine).await.unwrap();
    let mut genuine2 = join("s6", "h6", T0 + 4 * DAY, &[]);
    genuine2
        .indicators
        .push((Indicator::new(CallbackNumber, "95588"), false));
    let g2 = store.join_campaign(&genuine2).await.unwrap();
    assert_ne!(g.campaign, g2.campaign);

    // Text bands attach a session with no other tie, and never merge.
    let t1 = store
        .join_campaign(&join(
            "s7",
            "h7",
            T0 + 5 * DAY,
            &[(BankAccount, "777"), (Text, "b00:aaaa")],
        ))
        .await
        .unwrap();
    let mut text_only = join("s8", "h8", T0 + 5 * DAY, &[(Text, "b00:aaaa")]);
    text_only.indicators.retain(|(i, _)| i.kind == Text);
    assert_eq!(
        store.join_campaign(&text_only).await.unwrap().campaign,
        t1.campaign
    );
    let mut both = join(
        "s9",
        "h9",
        T0 + 5 * DAY,
        &[(Text, "b00:aaaa"), (BankAccount, "6222001")],
    );
    both.indicators.retain(|(i, _)| i.kind != CallerHandle);
    let tied = store.join_campaign(&both).await.unwrap();
    assert_eq!(tied.campaign, m.campaign, "the account decides");
    assert!(tied.absorbed.is_empty(), "text never merges");
    // The band is now contested: a text-only session starts its own campaign.
    let mut lone = join("s10", "h10", T0 + 5 * DAY, &[(Text, "b00:aaaa")]);
    lone.indicators.retain(|(i, _)| i.kind == Text);
    let l = store.join_campaign(&lone).await.unwrap();
    assert!(l.created);

    // Reports: stored, listed, and a report on a member session makes the campaign reported.
    let in_campaign = store
        .add_report(&report("rpt_1", "s2", "u2", "h2", true))
        .await
        .unwrap();
    assert_eq!(in_campaign, Some(m.campaign));
    assert_eq!(
        store
            .add_report(&report("rpt_2", "elsewhere", "u9", "h2", false))
            .await
            .unwrap(),
        None
    );
    let mut with_text = report("rpt_3", "s1", "u1", "h1", true);
    with_text.note = Some("他说我涉嫌洗钱".into());
    with_text.text = Some("请转账到安全账户".into());
    with_text.created = T0 + DAY;
    store.add_report(&with_text).await.unwrap();
    assert!(matches!(
        store.add_report(&with_text).await,
        Err(scamguard_store::StoreError::Conflict(_))
    ));
    assert!(store.has_counted_report("u2", "h2").await.unwrap());
    assert!(!store.has_counted_report("u9", "h2").await.unwrap());
    assert!(!store.has_counted_report("u2", "h1").await.unwrap());
    let facts = store.caller_reports("h2", T0).await.unwrap();
    assert_eq!(facts.len(), 1, "uncounted reports never count: {facts:?}");
    assert_eq!(facts[0].reporter, "u2");
    assert!(store
        .caller_reports("h1", T0 + 2 * DAY)
        .await
        .unwrap()
        .is_empty());
    let of_campaign = store
        .reports(&ReportQuery {
            campaign_id: Some(m.campaign),
            limit: 10,
            ..ReportQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(
        of_campaign
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>(),
        ["rpt_3", "rpt_1"]
    );
    assert_eq!(of_campaign[0].text.as_deref(), Some("请转账到安全账户"));
    let of_caller = store
        .reports(&ReportQuery {
            caller_hash: Some("h2".into()),
            limit: 10,
            ..ReportQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(of_caller.len(), 2);
    let detail = store.campaign(m.campaign).await.unwrap().unwrap();
    assert_eq!(detail.summary.status, CampaignStatus::Reported);
    assert_eq!(detail.summary.reports, 2);

    // The next session of a reported campaign learns it was known.
    let known = store
        .join_campaign(&join(
            "s11",
            "h11",
            T0 + 6 * DAY,
            &[(BankAccount, "6222001")],
        ))
        .await
        .unwrap();
    assert_eq!(known.before, CampaignStatus::Reported);

    // Decisions: newest first; fraud confirms the handle's campaigns.
    let d = |decision, at| DecisionRecord {
        id: 0,
        handle_hash: "h7".into(),
        decision,
        reason: "analyst reviewed the recordings".into(),
        key_id: "admin1".into(),
        at,
    };
    store
        .add_decision(&d(Decision::Legitimate, T0))
        .await
        .unwrap();
    store
        .add_decision(&d(Decision::Fraud, T0 + 1))
        .await
        .unwrap();
    let ds = store.decisions("h7").await.unwrap();
    assert_eq!(
        ds.iter().map(|d| d.decision).collect::<Vec<_>>(),
        [Decision::Fraud, Decision::Legitimate]
    );
    assert!(store.decisions("h1").await.unwrap().is_empty());
    assert_eq!(
        store
            .campaign(t1.campaign)
            .await
            .unwrap()
            .unwrap()
            .summary
            .status,
        CampaignStatus::Confirmed
    );

    // Retention removes old reports, with their text; campaigns and decisions stay.
    let pruned = prune(&*store, &Retention::all(Duration::ZERO), T0 + DAY, None)
        .await
        .unwrap();
    assert_eq!(pruned.reports, 2, "the two reports filed before the cutoff");
    let left = store
        .reports(&ReportQuery {
            limit: 10,
            ..ReportQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(
        left.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["rpt_3"]
    );
    let none = store
        .prune_batch(Prune::Reports, T0 + 2 * DAY, 10)
        .await
        .unwrap();
    assert_eq!(none.reports, 1);
    assert_eq!(store.decisions("h7").await.unwrap().len(), 2);
    assert!(store.campaign(m.campaign).await.unwrap().is_some());
    store.close().await;
}

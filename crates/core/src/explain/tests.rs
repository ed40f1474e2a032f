use super::*;
use crate::lexicon::identities::CATEGORIES;
use crate::policy::Policy;
use crate::signal::{codes, DisguiseKind, Money, TokenProblem};

/// Values a sentence could be filled with, one per placeholder, as detectors produce them.
fn sample(placeholder: &str, p: &mut Params) {
    match placeholder {
        "name" => p.name = Some("厦门市公安局".into()),
        "shown" => p.shown = Some("Hangzhou Police".into()),
        "app" => p.app = Some("AnyDesk".into()),
        "domain" => p.domain = Some("icbc-verify.com".into()),
        "brand" => p.brand = Some("icbc.com.cn".into()),
        "target" => p.target = Some("evil.top".into()),
        "number" => p.number = Some("95588".into()),
        "country" => p.country = Some("855".into()),
        "disguise" => p.disguise = Some(DisguiseKind::Separators),
        "problem" => p.problem = Some(TokenProblem::Reused),
        "amount" => {
            p.amount = Some(Money {
                value: 50000.0,
                currency: Some("CNY".into()),
            })
        }
        "quote" => p.quote = Some("安全账户".into()),
        other => panic!("no sample for {other}"),
    }
}

fn full_params() -> Params {
    let mut p = Params::default();
    for k in Params::PLACEHOLDERS {
        sample(k, &mut p);
    }
    p
}

/// The rendered values of `params` in `locale`, for [`reading_problems`].
fn shown_values(c: &Catalog, locale: Locale, params: &Params) -> Vec<String> {
    c.values(locale, params)
        .into_iter()
        .map(|(_, v)| v.into_owned())
        .collect()
}

fn assert_reads_well(locale: Locale, what: &str, text: &str, values: &[String]) {
    let values: Vec<&str> = values.iter().map(String::as_str).collect();
    let problems = reading_problems(locale, text, &values);
    assert!(
        problems.is_empty(),
        "{locale:?} {what}: {problems:?} in {text:?}"
    );
}

fn each_sentences(c: &Catalog) -> Vec<(Locale, Option<Medium>, &Sentences)> {
    let mut out = Vec::new();
    for locale in Locale::ALL {
        let s = c.sentences(locale);
        out.push((locale, None, s));
        for m in Medium::ALL {
            if let Some(o) = s.for_medium(m) {
                out.push((locale, Some(m), o));
            }
        }
    }
    out
}

#[test]
fn every_locale_covers_every_code_rule_directive_and_name() {
    let c = Catalog::builtin();
    let p = Policy::builtin();
    for locale in Locale::ALL {
        let s = c.sentences(locale);
        for a in ["allow", "warn", "block"] {
            assert!(s.actions.contains_key(a), "{locale:?} lacks action {a}");
        }
        for h in [
            "allow",
            "allow_verified",
            "warn",
            "block",
            "warn_claim",
            "block_claim",
            "warn_rule",
            "block_rule",
        ] {
            assert!(s.headlines.contains_key(h), "{locale:?} lacks headline {h}");
        }
        for l in ["verified", "unverified"] {
            assert!(s.labels.contains_key(l), "{locale:?} lacks label {l}");
        }
        for (code, _) in codes::ALL {
            let priced = p.signals.get(*code).is_some_and(|x| x.weight > 0.0);
            if priced {
                assert!(
                    s.signals.contains_key(*code),
                    "{locale:?} lacks signal {code}"
                );
            }
        }
        for key in s.signals.keys() {
            assert!(
                codes::family(key).is_some(),
                "{locale:?} explains unknown signal {key}"
            );
        }
        for r in &p.rules {
            assert!(
                s.rules.contains_key(&r.name),
                "{locale:?} lacks rule {}",
                r.name
            );
        }
        for r in s.rule_headlines.keys() {
            assert!(
                p.rules.iter().any(|x| &x.name == r),
                "{locale:?} has a headline for unknown rule {r}"
            );
        }
        for d in Directive::CODES {
            assert!(
                s.directives.contains_key(*d),
                "{locale:?} lacks directive {d}"
            );
        }
        for cat in CATEGORIES.iter() {
            assert!(
                s.categories.contains_key(*cat),
                "{locale:?} lacks category {cat}"
            );
        }
        for d in DisguiseKind::ALL {
            assert!(
                s.disguises.contains_key(d.as_str()),
                "{locale:?} lacks disguise {d:?}"
            );
        }
        for t in TokenProblem::ALL {
            assert!(
                s.problems.contains_key(t.as_str()),
                "{locale:?} lacks problem {t:?}"
            );
        }
    }
    // The three locales word the same things.
    let keys = |l: Locale| {
        let s = c.sentences(l);
        (
            s.signals.keys().cloned().collect::<Vec<_>>(),
            s.rule_headlines.keys().cloned().collect::<Vec<_>>(),
            s.countries.keys().cloned().collect::<Vec<_>>(),
            s.currencies.keys().cloned().collect::<Vec<_>>(),
        )
    };
    assert_eq!(keys(Locale::ZhHans), keys(Locale::ZhHant));
    assert_eq!(keys(Locale::ZhHans), keys(Locale::En));
}

#[test]
fn templates_use_only_their_tables_placeholders() {
    let c = Catalog::builtin();
    for (locale, medium, s) in each_sentences(&c) {
        if medium.is_some() {
            assert!(
                s.call.is_none() && s.message.is_none() && s.link.is_none(),
                "{locale:?} {medium:?}: medium tables do not nest"
            );
        }
        let tables: [(&str, &BTreeMap<String, Template>, &[&str]); 6] = [
            ("actions", &s.actions, &[]),
            ("rules", &s.rules, &[]),
            ("labels", &s.labels, &["name"]),
            ("headlines", &s.headlines, &["name", "claimed", "what"]),
            (
                "directives",
                &s.directives,
                &["number", "domain", "minutes"],
            ),
            ("signals", &s.signals, &Params::PLACEHOLDERS),
        ];
        for (table, map, allowed) in tables {
            for (key, t) in map {
                for v in t.variants() {
                    for p in placeholders(v) {
                        assert!(
                            allowed.contains(&p),
                            "{locale:?} {medium:?} {table}.{key}: unknown placeholder {{{p}}}"
                        );
                    }
                    assert_eq!(
                        v.matches('{').count(),
                        placeholders(v).count(),
                        "{locale:?} {table}.{key}: a brace that is no placeholder in {v:?}"
                    );
                }
                if table == "signals" {
                    let last = t.variants().last().expect("a template has a variant");
                    assert!(
                        placeholders(last).next().is_none(),
                        "{locale:?} {medium:?} signals.{key}: the last variant must need no detail"
                    );
                }
            }
        }
        for v in s.currencies.values() {
            assert_eq!(placeholders(v).collect::<Vec<_>>(), ["value"], "{v}");
        }
    }
}

/// Every variant of every signal's sentence, filled with exactly the details it names, in
/// all three locales and every medium: no placeholder left, nothing cut, brackets balanced,
/// and no Latin-script word in a Chinese sentence but names, domains, numbers and apps.
#[test]
fn every_signal_sentence_reads_well_in_every_locale() {
    let c = Catalog::builtin();
    let mut checked = 0;
    for locale in Locale::ALL {
        for medium in Medium::ALL {
            for (code, _) in codes::ALL {
                let Some(t) = c.template(locale, medium, Table::Signals, code) else {
                    continue;
                };
                for (i, v) in t.variants().iter().enumerate() {
                    let mut params = Params::default();
                    for p in placeholders(v) {
                        sample(p, &mut params);
                    }
                    let text = c
                        .signal_sentence(locale, medium, code, &params)
                        .unwrap_or_else(|| panic!("{locale:?} {code} variant {i} renders"));
                    assert_reads_well(locale, code, &text, &shown_values(&c, locale, &params));
                    checked += 1;
                }
                // With every detail known, and with none.
                for params in [full_params(), Params::default()] {
                    let text = c
                        .signal_sentence(locale, medium, code, &params)
                        .unwrap_or_else(|| panic!("{locale:?} {code} renders"));
                    assert_reads_well(locale, code, &text, &shown_values(&c, locale, &params));
                }
            }
        }
    }
    assert!(checked > 200, "only {checked} sentences checked");
}

#[test]
fn the_reading_check_finds_what_it_looks_for() {
    let zh = Locale::ZhHans;
    assert!(reading_problems(
        zh,
        "有人请求共享您的屏幕（facetime, asked by the caller）。",
        &[]
    )
    .iter()
    .any(|p| p.contains("Latin")));
    assert!(reading_problems(zh, "有人请求通过facetime共享您的屏幕。", &["facetime"]).is_empty());
    assert!(!reading_problems(
        zh,
        "签名无效（replayed: the token (origid \"17b0f4af-…",
        &[]
    )
    .is_empty());
    assert!(!reading_problems(zh, "对方自称“{name}”。", &[]).is_empty());
    assert!(!reading_problems(Locale::En, "It is (not closed.", &[]).is_empty());
    assert!(!reading_problems(Locale::En, "Cut short…", &[]).is_empty());
    assert!(!reading_problems(Locale::En, "", &[]).is_empty());
    assert!(reading_problems(zh, "公安不会通过FaceTime或iMessage联系您。", &[]).is_empty());
}

#[test]
fn sentences_name_details_in_the_readers_words() {
    let c = Catalog::builtin();
    let country = Params {
        country: Some("1".into()),
        ..Params::default()
    };
    let s = |l, code, p: &Params| c.signal_sentence(l, Medium::Call, code, p).unwrap();
    assert_eq!(
        s(
            Locale::ZhHans,
            "foreign_handle_for_domestic_claim",
            &country
        ),
        "自称本地机构，却使用境外号码（美国或加拿大）。"
    );
    let unknown = Params {
        country: Some("999".into()),
        ..Params::default()
    };
    assert!(s(Locale::En, "international_handle", &unknown).contains("(+999)"));
    let replayed = Params {
        problem: Some(TokenProblem::Reused),
        ..Params::default()
    };
    assert_eq!(
        s(Locale::ZhHans, "identity_token_invalid", &replayed),
        "对方附带的身份签名无效：这个签名已在别的通话中用过。"
    );
    let rtl = Params {
        disguise: Some(DisguiseKind::RightToLeft),
        ..Params::default()
    };
    assert!(s(Locale::ZhHant, "disguised_name", &rtl).contains("反向顯示"));
    let link = Params {
        domain: Some("icbc-verify.com".into()),
        brand: Some("icbc.com.cn".into()),
        ..Params::default()
    };
    assert_eq!(
        s(Locale::ZhHans, "link_brand_impersonation", &link),
        "链接网址icbc-verify.com借用了icbc.com.cn的名字，但并不是它的官方网站。"
    );
    let app = Params::app("facetime");
    assert_eq!(
        s(Locale::ZhHans, "screen_share_requested", &app),
        "有人请求通过facetime共享您的屏幕。"
    );
    // A lexicon phrase is quoted in Chinese (traditional for zh-Hant), never in English.
    let quote = Params::quote("安全账户");
    assert!(s(Locale::ZhHans, "script_safe_account", &quote).contains("（“安全账户”）"));
    assert!(
        s(Locale::ZhHant, "script_safe_account", &quote).contains("（「安全賬戶」）")
            || s(Locale::ZhHant, "script_safe_account", &quote).contains("（「安全帳戶」）")
    );
    assert!(!s(Locale::En, "script_safe_account", &quote).contains("安全"));
    // A phrase the sender wrote in traditional characters is shown as written to zh-Hant
    // readers, whichever variant they chose, and simplified for zh-Hans readers.
    for written in ["安全帳戶", "安全賬戶"] {
        let quote = Params::quote(written);
        let shown = s(Locale::ZhHant, "script_safe_account", &quote);
        assert!(shown.contains(&format!("（「{written}」）")), "{shown}");
        let shown = s(Locale::ZhHans, "script_safe_account", &quote);
        assert!(shown.contains("（“安全账户”）"), "{shown}");
    }
    let latin = Params::quote("stay on the line");
    assert_eq!(
        s(Locale::ZhHans, "script_stay_on_line", &latin),
        "对方要求您不要挂断电话。"
    );
    let pair = Params::quote("etc已失效");
    assert!(!s(Locale::ZhHans, "script_account_threat", &pair).contains("etc"));
}

#[test]
fn money_is_written_the_readers_way() {
    let c = Catalog::builtin();
    let amount = |value, currency: Option<&str>| Params {
        amount: Some(Money {
            value,
            currency: currency.map(str::to_string),
        }),
        ..Params::default()
    };
    let s = |l, p: &Params| {
        c.signal_sentence(l, Medium::Call, "payment_new_payee", p)
            .unwrap()
    };
    assert!(s(Locale::ZhHans, &amount(50000.0, Some("CNY"))).contains("50000元"));
    assert!(s(Locale::ZhHant, &amount(50000.0, Some("cny"))).contains("50000人民幣"));
    assert!(s(Locale::En, &amount(3591.0, Some("USD"))).contains("$3,591"));
    assert!(s(Locale::En, &amount(1234567.5, None)).contains("1,234,567.50"));
    assert!(s(Locale::En, &amount(12.0, Some("XAU"))).contains("12 XAU"));
    assert_eq!(group_thousands("-1234.50"), "-1,234.50");
    assert_eq!(group_thousands("999"), "999");
}

fn input<'a>(
    action: Action,
    medium: Medium,
    rules: &'a [String],
    directives: &'a [Directive],
    claimed: Option<Claimed<'a>>,
) -> ExplainInput<'a> {
    ExplainInput {
        action,
        medium,
        rules,
        signals: &[],
        directives,
        claimed,
        verified_name: None,
    }
}

#[test]
fn explanations_fill_placeholders() {
    let c = Catalog::builtin();
    let directives = [Directive::OfferOfficialCallback {
        identity: "cn_police".into(),
        number: Some("110".into()),
        domain: None,
    }];
    let rules = ["authority_on_unverified_channel".to_string()];
    let name = Params::name("公安局");
    let signals: [(&str, &Params); 1] = [("claims_authority", &name)];
    for locale in Locale::ALL {
        let text = c.explain(
            locale,
            &ExplainInput {
                signals: &signals,
                ..input(Action::Block, Medium::Call, &rules, &directives, None)
            },
        );
        assert!(!text.contains('{'), "{locale:?}: {text}");
        assert!(text.contains("110"), "{locale:?}: {text}");
        assert_reads_well(
            locale,
            "explanation",
            &text,
            &["公安局".into(), "110".into()],
        );
    }
}

/// You cannot hang up a message or call a web domain.
#[test]
fn each_medium_is_worded_for_itself() {
    let c = Catalog::builtin();
    let by_number = [Directive::OfferOfficialCallback {
        identity: "us_usps".into(),
        number: Some("1-800-275-8777".into()),
        domain: None,
    }];
    let by_site = [Directive::OfferOfficialCallback {
        identity: "us_chase".into(),
        number: None,
        domain: Some("chase.com".into()),
    }];
    let en =
        |medium, d: &[Directive]| c.explain(Locale::En, &input(Action::Warn, medium, &[], d, None));
    let zh = |medium, d: &[Directive]| {
        c.explain(Locale::ZhHans, &input(Action::Warn, medium, &[], d, None))
    };
    assert!(en(Medium::Call, &by_number).contains("Hang up and call 1-800-275-8777"));
    assert!(en(Medium::Call, &by_site).contains("Hang up and open chase.com yourself"));
    for d in [&by_number[..], &by_site[..]] {
        let text = en(Medium::Message, d);
        assert!(!text.contains("Hang up"), "{text}");
        assert!(!text.contains("call chase.com"), "{text}");
        assert!(text.contains("this message"), "{text}");
        let text = zh(Medium::Message, d);
        assert!(
            !text.contains("挂断") && text.contains("这条消息"),
            "{text}"
        );
    }
    assert!(en(Medium::Message, &by_site).contains("open chase.com yourself"));
    assert!(zh(Medium::Call, &by_site).contains("请挂断，自己在浏览器中输入chase.com核实"));
    assert!(en(Medium::Link, &[]).contains("this link"));
    let block = c.explain(
        Locale::ZhHans,
        &input(Action::Block, Medium::Link, &[], &[], None),
    );
    assert!(block.contains("链接"), "{block}");
}

#[test]
fn headlines_fit_a_banner() {
    let c = Catalog::builtin();
    let p = Policy::builtin();
    let rules: Vec<Vec<String>> = std::iter::once(Vec::new())
        .chain(p.rules.iter().map(|r| vec![r.name.clone()]))
        .collect();
    let long_name = "中国人民财产保险股份有限公司深圳市分公司理赔服务中心";
    for locale in Locale::ALL {
        let limit = headline_limit(locale);
        let mut claims: Vec<Option<Claimed<'_>>> = vec![None];
        for cat in CATEGORIES.iter() {
            claims.push(Some(Claimed {
                name: "Chase Bank",
                category: cat,
                by_category: true,
                verified: false,
            }));
        }
        claims.push(Some(Claimed {
            name: long_name,
            category: "bank",
            by_category: false,
            verified: false,
        }));
        for medium in Medium::ALL {
            for action in [Action::Allow, Action::Warn, Action::Block] {
                for r in &rules {
                    for claimed in &claims {
                        let i = ExplainInput {
                            verified_name: Some(long_name),
                            ..input(action, medium, r, &[], *claimed)
                        };
                        let h = c.headline(locale, &i);
                        assert!(
                            !h.is_empty() && h.chars().count() <= limit,
                            "{locale:?} {medium:?} {action:?} {r:?}: {h:?} ({} chars)",
                            h.chars().count()
                        );
                        assert_reads_well(locale, "headline", &h, &["Chase Bank".into()]);
                    }
                }
            }
        }
        // Each category and each rule's phrase fits its own headline, so none falls back.
        for cat in CATEGORIES.iter() {
            let claimed = Claimed {
                name: "",
                category: cat,
                by_category: true,
                verified: false,
            };
            let h = c.headline(
                locale,
                &input(Action::Block, Medium::Call, &[], &[], Some(claimed)),
            );
            assert!(
                h.contains(c.sentences(locale).categories[*cat].as_str()),
                "{locale:?} {cat}: {h}"
            );
        }
        for (rule, what) in &c.sentences(locale).rule_headlines {
            let h = c.headline(
                locale,
                &input(
                    Action::Warn,
                    Medium::Message,
                    std::slice::from_ref(rule),
                    &[],
                    None,
                ),
            );
            assert!(h.contains(what.as_str()), "{locale:?} {rule}: {h}");
        }
    }
    let police = Claimed {
        name: "公安局",
        category: "police",
        by_category: true,
        verified: false,
    };
    let h = |l| {
        c.headline(
            l,
            &input(Action::Block, Medium::Call, &[], &[], Some(police)),
        )
    };
    assert_eq!(h(Locale::ZhHans), "疑似冒充公安诈骗，已拦截");
    assert_eq!(
        h(Locale::En),
        "Likely scam: caller pretends to be the police"
    );
}

#[test]
fn a_reference_description_has_no_placeholders() {
    let c = Catalog::builtin();
    assert_eq!(
        c.describe(Locale::En, Table::Signals, "script_secrecy")
            .as_deref(),
        Some("They tell you to keep it secret from family or the bank.")
    );
    assert_eq!(
        c.describe(Locale::En, Table::Signals, "link_redirect")
            .as_deref(),
        Some("The link passes through one site on to another.")
    );
    assert_eq!(c.describe(Locale::En, Table::Signals, "nope"), None);
}

#[test]
fn a_value_cannot_inject_a_placeholder() {
    assert_eq!(
        fill(
            "“{name}” {number}",
            &[("name", "{number}"), ("number", "110")]
        ),
        "“{number}” 110"
    );
    assert_eq!(fill("{unknown} stays", &[]), "{unknown} stays");
}

/// A caller verified as the very organisation it names is not told to be unverified or an
/// impersonator, even when it asks for something no organisation should; a verified caller
/// naming another organisation still is.
#[test]
fn a_verified_claim_is_not_called_unverified() {
    let c = Catalog::builtin();
    let rules = ["verified_caller_asks_never_do".to_string()];
    let name = Params::name("微信团队");
    let signals: [(&str, &Params); 1] = [("claims_organisation", &name)];
    for verified in [true, false] {
        let claimed = Claimed {
            name: "微信",
            category: "payment",
            by_category: false,
            verified,
        };
        let i = ExplainInput {
            signals: &signals,
            verified_name: Some("微信"),
            ..input(Action::Warn, Medium::Message, &rules, &[], Some(claimed))
        };
        let (headline, text) = (
            c.headline(Locale::ZhHans, &i),
            c.explain(Locale::ZhHans, &i),
        );
        assert_eq!(text.contains("未经验证"), !verified, "{text}");
        assert!(!verified || !headline.contains("冒充"), "{headline}");
    }
}

#[test]
fn a_rule_speaks_in_the_claimed_organisations_own_words() {
    let c = Catalog::builtin();
    let p = Policy::builtin();
    let rules = vec!["authority_on_unverified_channel".to_string()];
    let claimed = |category, verified| Claimed {
        name: "征信中心",
        category,
        by_category: false,
        verified,
    };
    for locale in Locale::ALL {
        let police = c.explain(
            locale,
            &input(
                Action::Block,
                Medium::Call,
                &rules,
                &[],
                Some(claimed("police", false)),
            ),
        );
        for category in ["central_bank", "regulator"] {
            let own = c.explain(
                locale,
                &input(
                    Action::Block,
                    Medium::Call,
                    &rules,
                    &[],
                    Some(claimed(category, false)),
                ),
            );
            assert_ne!(own, police, "{locale:?} {category}: {own}");
            assert!(!own.contains("FaceTime"), "{locale:?} {category}: {own}");
        }
        // Every "rule.category" sentence names a rule of the policy and a known category.
        for key in c.sentences(locale).rules.keys() {
            if let Some((rule, category)) = key.split_once('.') {
                assert!(p.rules.iter().any(|r| r.name == rule), "{locale:?}: {key}");
                assert!(CATEGORIES.contains(&category), "{locale:?}: {key}");
            }
        }
    }
}

#[test]
fn hidden_codes_read_sensibly_when_only_a_screen_is_shared() {
    let c = Catalog::builtin();
    let directives = [Directive::HideOtp];
    let shared = Params::default();
    for locale in Locale::ALL {
        let sharing_only = [(codes::SCREEN_SHARE_ACTIVE, &shared)];
        let with_code = [
            (codes::SCREEN_SHARE_ACTIVE, &shared),
            (codes::OTP_WHILE_SHARING, &shared),
        ];
        let text = |signals: &[(&str, &Params)]| {
            c.explain(
                locale,
                &ExplainInput {
                    signals,
                    ..input(Action::Warn, Medium::Call, &[], &directives, None)
                },
            )
        };
        let (quiet, asked) = (text(&sharing_only), text(&with_code));
        assert_ne!(quiet, asked, "{locale:?}");
        for word in ["诈骗", "詐騙", "scammer"] {
            assert!(!quiet.contains(word), "{locale:?}: {quiet}");
        }
    }
}

//! Script: the stages of a scam script in speech and messages, and the links they carry.

use super::identity::NameClaim;
use super::links::detect_links;
use crate::lexicon::{words, Lexicons};
use crate::signal::{codes, Params, SignalSet};
use crate::text::{fold_cjk, is_cjk, Normalised};

/// Where a text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextSource {
    /// Transcribed speech of the remote party.
    Speech,
    /// A message received.
    Message,
}

/// What a text revealed besides signals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextOutcome {
    /// A protected identity the text speaks for: a message signature ("【工商银行】",
    /// "USPS:") or a self-introduction in speech ("这里是厦门市公安局").
    pub claim: Option<NameClaim>,
    /// Whether the claim came from a message signature (and so is the sender's name).
    pub signature: bool,
    /// That signature as the sender wrote it ("ETC", not the lexicon's "etc").
    pub signed_as: Option<String>,
    /// A bank, platform or other organisation the speaker introduces themselves as ("我是韵达快递
    /// 客服", "this is Chase card services"). Authorities are left to the script stage: a real
    /// officer may introduce themselves on a call too.
    pub introduces: Option<NameClaim>,
    /// How many links it held.
    pub links: usize,
}

/// Scans a received text for script stages, links and identity claims.
pub fn detect_script(
    text: &str,
    source: TextSource,
    lex: &Lexicons,
    out: &mut SignalSet,
) -> TextOutcome {
    if text.trim().is_empty() {
        return TextOutcome::default();
    }
    detect_script_normalised(text, &Normalised::with_positions(text), source, lex, out)
}

/// [`detect_script`] for a text already normalised [`with_positions`](Normalised::with_positions),
/// so that the engine normalises each text once for every detector.
pub fn detect_script_normalised(
    text: &str,
    n: &Normalised,
    source: TextSource,
    lex: &Lexicons,
    out: &mut SignalSet,
) -> TextOutcome {
    let mut outcome = TextOutcome::default();
    let hits = lex.script.scan(n);
    let mut authority_claim = false;
    for h in hits.iter().filter(|h| !h.negated) {
        // A pair of terms ("a … b") is no phrase to quote to the user.
        // Quoted in the characters the sender used (traditional text reads traditional).
        let quote = (!h.evidence.contains('…')).then(|| {
            let written = n
                .disguise
                .traditional
                .then(|| as_written(text, &h.evidence));
            Params::quote(written.flatten().unwrap_or_else(|| h.evidence.clone()))
        });
        out.add_with(&h.code, 1.0, h.evidence.clone(), quote);
        authority_claim |= h.code == codes::SCRIPT_AUTHORITY_CLAIM;
    }
    // Advice said negated ("don't call the number on your card") is no advice.
    for h in hits
        .iter()
        .filter(|h| h.negated && h.code != codes::SCRIPT_PROTECTIVE_ADVICE)
    {
        if !hits.iter().any(|p| !p.negated && p.code == h.code) {
            out.add(codes::SCRIPT_PROTECTIVE_ADVICE, 1.0, h.evidence.clone());
        }
    }
    outcome.links = detect_links(text, lex, out);

    if source == TextSource::Message {
        if let Some(sig) = signature(text) {
            let sn = Normalised::new(sig);
            if let Some(m) = lex.identities.match_plain(&sn).into_iter().next() {
                outcome.claim = Some(NameClaim {
                    index: m.index,
                    matched: m.term,
                });
                outcome.signature = true;
                outcome.signed_as = Some(crate::text::display_form(sig)).filter(|s| !s.is_empty());
            }
        }
    }
    outcome.introduces = self_introduction(n, lex);
    if outcome.claim.is_none() && authority_claim {
        if let Some(m) = lex.identities.find_in_text(n).into_iter().next() {
            outcome.claim = Some(NameClaim {
                index: m.index,
                matched: m.term,
            });
        }
    }
    outcome
}

/// The self-introduction markers of `data/intro_markers.txt`: Chinese ones as written (for
/// the compact view), English ones padded with spaces (whole words in the words view).
fn intro_marker_patterns() -> &'static [String] {
    static PATS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    PATS.get_or_init(|| {
        words::intro_markers()
            .iter()
            .map(|m| {
                if words::is_english(m) {
                    format!(" {m} ")
                } else {
                    m.to_string()
                }
            })
            .collect()
    })
}

fn intro_markers() -> &'static aho_corasick::AhoCorasick {
    static AC: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    AC.get_or_init(|| {
        aho_corasick::AhoCorasick::new(intro_marker_patterns()).expect("markers compile")
    })
}

/// The organisation (tier B or C) named right after a self-introduction.
fn self_introduction(n: &Normalised, lex: &Lexicons) -> Option<NameClaim> {
    let mut windows: Vec<String> = Vec::new();
    // Chinese markers in the compact view, English ones (with their spaces) in the words view.
    for m in intro_markers().find_iter(&n.compact) {
        // The name follows the marker within its clause: in "我是建国，原来的微信不用了" the
        // speaker is 建国, not WeChat.
        let window: String = match n.compact_to_folded.get(m.end()) {
            Some(&at) => n.folded[at as usize..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || c.is_whitespace())
                .filter(|c| c.is_alphanumeric())
                .take(12)
                .collect(),
            None => n.compact[m.end()..].chars().take(12).collect(),
        };
        windows.push(window);
    }
    for m in intro_markers()
        .find_iter(&n.words)
        .filter(|m| intro_marker_patterns()[m.pattern().as_usize()].starts_with(' '))
    {
        let rest = &n.words[m.end()..];
        windows.push(rest.split(' ').take(5).collect::<Vec<_>>().join(" "));
    }
    windows.into_iter().find_map(|w| {
        let wn = Normalised::new(&w);
        if names_a_customer(&wn, lex) {
            return None;
        }
        lex.identities
            .match_plain(&wn)
            .into_iter()
            .find(|m| lex.identities.get(m.index).tier != crate::lexicon::Tier::A)
            .map(|m| NameClaim {
                index: m.index,
                matched: m.term,
            })
    })
}

/// Whether a self-introduction's window names a body as the speaker's platform or shop: a
/// customer word (`data/intro_customer_words.txt`) right after the body's whole name, with
/// only 的 / 上 / 平台 / 网 between ("蝦皮的買家", "淘宝买家", "a carousell buyer"), and no
/// desk's word after it: "支付宝会员中心", "customer service" are the body's own desks.
pub(crate) fn names_a_customer(window: &Normalised, lex: &Lexicons) -> bool {
    const DESKS: [&str; 16] = [
        "中心",
        "服务",
        "部",
        "专员",
        "客服",
        "经理",
        "管理",
        "运营",
        "center",
        "centre",
        "service",
        "services",
        "support",
        "team",
        "care",
        "relations",
    ];
    let whole_name = |s: &str| {
        let sn = Normalised::new(s);
        lex.identities
            .match_plain(&sn)
            .iter()
            .any(|m| Normalised::new(&m.term).compact == sn.compact)
    };
    // One pass of an automaton first: most windows hold no customer word at all.
    static ANY_WORD: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    let any_word = ANY_WORD.get_or_init(|| {
        aho_corasick::AhoCorasick::new(words::intro_customer_words())
            .expect("the customer words build an automaton")
    });
    if !any_word.is_match(&window.compact) && !any_word.is_match(&window.words) {
        return false;
    }
    let ws: Vec<&str> = window.words.split(' ').filter(|w| !w.is_empty()).collect();
    words::intro_customer_words().iter().any(|&word| {
        if words::is_english(word) {
            ws.iter()
                .enumerate()
                .filter(|(i, w)| **w == word && !ws.get(i + 1).is_some_and(|n| DESKS.contains(n)))
                .any(|(i, _)| (1..=3.min(i)).any(|k| whole_name(&ws[i - k..i].join(" "))))
        } else {
            window.compact.match_indices(word).any(|(at, _)| {
                let after = &window.compact[at + word.len()..];
                if DESKS.iter().any(|d| after.starts_with(d)) {
                    return false;
                }
                let mut head = &window.compact[..at];
                while let Some(rest) = ["的", "上", "平台", "网"]
                    .iter()
                    .find_map(|f| head.strip_suffix(f))
                {
                    head = rest;
                }
                let starts: Vec<usize> = head.char_indices().map(|(i, _)| i).collect();
                starts
                    .iter()
                    .rev()
                    .skip(1)
                    .take(9)
                    .any(|&i| whole_name(&head[i..]))
            })
        }
    })
}

/// The sender's signature of a message: "【工商银行】…", "…【顺丰速运】", "[USPS] …", "USPS: …".
fn signature(text: &str) -> Option<&str> {
    let t = text.trim();
    for (open, close) in [('【', '】'), ('[', ']'), ('〔', '〕')] {
        if let Some(rest) = t.strip_prefix(open) {
            if let Some(end) = rest.find(close) {
                return Some(&rest[..end]).filter(|s| s.chars().count() <= 24);
            }
        }
        if let Some(head) = t.strip_suffix(close) {
            if let Some(start) = head.rfind(open) {
                return Some(&head[start + open.len_utf8()..]).filter(|s| s.chars().count() <= 24);
            }
        }
    }
    if let Some((head, _)) = t.split_once(':') {
        return (head.chars().count() <= 24 && !head.contains("http")).then_some(head);
    }
    // In Chinese with a full-width colon: "遠通電收提醒：…". A clause ("你加一下他們客服LINE：…",
    // "央行降息，买房正当时：…") is no signature: a short name, no punctuation, that addresses
    // or speaks for no person.
    let (head, _) = t.split_once('：')?;
    (head.chars().count() <= 12
        && head
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '·')
        && !head.contains(['你', '您', '我', '他', '她']))
    .then_some(head)
}

/// The lexicon phrase `phrase` as `text` wrote it: the same characters in the sender's script
/// ("帳戶" for the lexicon's "账户"), separators between them dropped. `None` unless `phrase` is
/// Chinese and a span of `text` reads as it character for character, so what is kept is always
/// the lexicon's phrase, never other words of the sender's.
fn as_written(text: &str, phrase: &str) -> Option<String> {
    let want: Vec<char> = phrase.chars().map(fold_cjk).collect();
    if want.is_empty() || !want.iter().all(|c| is_cjk(*c) || c.is_ascii_digit()) {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len()).find_map(|start| {
        let mut out = String::new();
        let mut k = 0;
        for &c in &chars[start..] {
            if k == want.len() {
                break;
            }
            if fold_cjk(c) == want[k] {
                out.push(c);
                k += 1;
            } else if k == 0 || c.is_alphanumeric() {
                return None;
            }
        }
        (k == want.len()).then_some(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> &'static Lexicons {
        Lexicons::shared_for_tests()
    }

    #[test]
    fn a_platform_named_by_its_customer_is_no_claim() {
        let intro = |t: &str| self_introduction(&Normalised::new(t), lex()).is_some();
        // The speaker is the platform's buyer or user.
        assert!(!intro("您好，我是蝦皮的買家，可以寄到7-11嗎"));
        assert!(!intro("你好，我是淘宝买家，什么时候发货"));
        assert!(!intro(
            "Hi, this is a Carousell buyer, is the bike still available"
        ));
        // The speaker is the platform's desk.
        assert!(intro("您好，我是蝦皮客服，您的賣場帳戶已被凍結"));
        assert!(intro("你好，我是支付宝会员中心的工作人员"));
        assert!(intro("Hello, this is Amazon customer service calling"));
    }

    fn stages(text: &str) -> SignalSet {
        let mut s = SignalSet::new();
        detect_script(text, TextSource::Message, lex(), &mut s);
        s
    }

    #[test]
    fn a_relative_in_trouble_keeps_the_parents_out() {
        assert!(stages("Grandma, it's me. I'm in trouble").has(codes::SCRIPT_RELATIVE_IN_TROUBLE));
        assert!(stages("妈，是我，我把人打伤了").has(codes::SCRIPT_RELATIVE_IN_TROUBLE));
        for secret in [
            "千万别告诉爸",
            "先別跟媽說我在這",
            "Please don't tell Mom and Dad",
        ] {
            assert!(stages(secret).has(codes::SCRIPT_SECRECY), "{secret}");
        }
        // Care and quarrels are not secrecy.
        for care in ["别让妈担心，我到了", "你不要跟妈吵架了", "别跟爸一样熬夜"]
        {
            assert!(!stages(care).has(codes::SCRIPT_SECRECY), "{care}");
        }
    }

    #[test]
    fn a_rental_nobody_shows() {
        for unseen in [
            "我人在国外工作，没办法带你看房",
            "I'm working overseas on a contract so I can't show it in person",
            "send the deposit and I'll mail you the keys",
        ] {
            assert!(stages(unseen).has(codes::SCRIPT_UNSEEN_RENTAL), "{unseen}");
        }
        // An owner away for now who will show it.
        for shown in [
            "我人在国外，下周回来再带你看房",
            "I'm abroad this week, the agent will show you the flat",
        ] {
            assert!(!stages(shown).has(codes::SCRIPT_UNSEEN_RENTAL), "{shown}");
        }
    }

    #[test]
    fn a_child_hurt_at_school_and_a_deposit_to_a_doctor() {
        for hurt in [
            "孩子刚才上体育课从单杠上摔下来，头磕破了",
            "你個仔頭先喺操場跌親，撞親個頭",
            "Your daughter fell down the stairs and hit her head",
        ] {
            assert!(stages(hurt).has(codes::SCRIPT_CHILD_HURT), "{hurt}");
        }
        for to_a_person in [
            "要先交两万块手术押金，您先转到主治医生的账户上",
            "你用轉數快過去醫生個戶口先",
            "Please send it now to the doctor's account",
        ] {
            assert!(
                stages(to_a_person).has(codes::SCRIPT_THIRD_PARTY_TRANSFER),
                "{to_a_person}"
            );
        }
        // The hospital's own desk takes the money; a school's note asks for none.
        for desk in [
            "the hospital will take care of the paperwork when you arrive",
            "请到医院收费处办理住院手续",
        ] {
            assert!(
                !stages(desk).has(codes::SCRIPT_THIRD_PARTY_TRANSFER),
                "{desk}"
            );
        }
    }

    #[test]
    fn a_mistaken_transfer_sent_back_elsewhere() {
        for elsewhere in [
            "我刚才转账转错了，3800块转到你卡上了，你直接转到我老婆的卡上吧",
            "我剛剛匯錯帳…麻煩你匯回到我朋友的帳戶",
            "I sent you $450 on Zelle by mistake, could you send it back to my brother's account instead",
        ] {
            assert!(stages(elsewhere).has(codes::SCRIPT_MISTAKEN_TRANSFER), "{elsewhere}");
        }
        // Back the way it came.
        for back in [
            "我多转了你200，方便的话转回给我就行",
            "I sent $60 to the wrong Sam by mistake",
        ] {
            assert!(!stages(back).has(codes::SCRIPT_MISTAKEN_TRANSFER), "{back}");
        }
    }

    #[test]
    fn a_job_in_a_border_compound() {
        for job in [
            "西港招客服，月薪两万起，包吃住包机票",
            "緬甸妙瓦底高薪打字員，公司報銷機票",
            "Job offer in Cambodia: customer service in Phnom Penh, free flights and housing",
        ] {
            assert!(stages(job).has(codes::SCRIPT_OVERSEAS_JOB), "{job}");
        }
        for trip in [
            "我们下周去柬埔寨吴哥窟玩五天，机票酒店都订好了",
            "Our trip to Cambodia was lovely",
        ] {
            assert!(!stages(trip).has(codes::SCRIPT_OVERSEAS_JOB), "{trip}");
        }
    }

    #[test]
    fn a_story_for_someone_elses_code() {
        for story in [
            "我微信被封了，要找个好友辅助解封",
            "我把LINE認證碼誤傳到你的手機號碼了",
            "我個WhatsApp驗證碼唔小心發咗去你部電話",
            "I need to make sure you're a real person",
        ] {
            assert!(stages(story).has(codes::SCRIPT_CODE_PRETEXT), "{story}");
        }
        for ask in [
            "可以幫我把那串數字傳給我嗎",
            "你收到可唔可以send返俾我？我個驗證碼",
            "请将稍后收到的6位验证码回复本号码",
            "just tell me the 6 digit code",
        ] {
            assert!(stages(ask).has(codes::SCRIPT_CREDENTIAL_ASK), "{ask}");
        }
        // The service's own notice tells no story and asks nothing.
        assert!(!stages("【腾讯科技】验证码481920，切勿将验证码告诉他人。")
            .has(codes::SCRIPT_CREDENTIAL_ASK));
    }

    #[test]
    fn prizes_fines_and_cut_offs_behind_links() {
        assert!(stages("免费领取888钻石！输入QQ账号和密码即可领取").has(codes::SCRIPT_REFUND_LURE));
        assert!(
            stages("FREE 10,000 Robux, enter your Roblox username and password")
                .has(codes::SCRIPT_CREDENTIAL_ASK)
        );
        assert!(stages("您的酒店预订信用卡验证未通过").has(codes::SCRIPT_BILLING_PROBLEM));
        assert!(
            stages("you have an unpaid traffic fine of 35 EUR").has(codes::SCRIPT_BILLING_PROBLEM)
        );
        assert!(stages("你家电费欠费三个月了，一小时后就停电").has(codes::SCRIPT_ACCOUNT_THREAT));
        assert!(
            stages("Your power will be shut off in 45 minutes").has(codes::SCRIPT_ACCOUNT_THREAT)
        );
        // A planned outage names no arrears.
        assert!(!stages("因线路检修，明日8时至12时停电，请提前做好准备")
            .has(codes::SCRIPT_ACCOUNT_THREAT));
        // "There is no such thing as a safe account" is the advice, not the ask.
        for advice in [
            "公安机关办案不存在所谓的安全账户",
            "there is no such thing as a safe account",
        ] {
            assert!(!stages(advice).has(codes::SCRIPT_SAFE_ACCOUNT), "{advice}");
        }
    }

    #[test]
    fn signatures() {
        assert_eq!(signature("【工商银行】您的账户"), Some("工商银行"));
        assert_eq!(signature("您的快递已到【顺丰速运】"), Some("顺丰速运"));
        assert_eq!(signature("USPS: your parcel"), Some("USPS"));
        assert_eq!(
            signature("遠通電收提醒：您的餘額不足"),
            Some("遠通電收提醒")
        );
        assert_eq!(signature("你加一下他們客服LINE ID：carou_help"), None);
        assert_eq!(signature("央行降息，买房正当时：首付三万起"), None);
        assert_eq!(signature("hello there"), None);
        assert_eq!(signature("see http://x.com"), None);
    }

    #[test]
    fn speech_claims_and_stages() {
        let mut s = SignalSet::new();
        let o = detect_script(
            "你好，这里是厦门市公安局刑侦支队，你的银行卡涉嫌洗钱",
            TextSource::Speech,
            lex(),
            &mut s,
        );
        assert!(s.has(codes::SCRIPT_AUTHORITY_CLAIM), "{s:?}");
        assert!(s.has(codes::SCRIPT_ACCUSATION), "{s:?}");
        assert!(o.claim.is_some());
    }

    #[test]
    fn self_introductions_name_organisations() {
        let mut s = SignalSet::new();
        let o = detect_script(
            "您好，我是韵达快递客服，您的包裹破损了",
            TextSource::Message,
            lex(),
            &mut s,
        );
        assert!(o.introduces.is_some());
        let o = detect_script(
            "Hi, this is Chase card services calling",
            TextSource::Speech,
            lex(),
            &mut s,
        );
        assert!(o.introduces.is_some());
        let o = detect_script("我是杭州市公安局的民警", TextSource::Speech, lex(), &mut s);
        assert!(
            o.introduces.is_none(),
            "authorities are left to the script stage"
        );
        let o = detect_script("this is great news", TextSource::Message, lex(), &mut s);
        assert!(o.introduces.is_none());
        let o = detect_script(
            "我是建国，原来的微信不用了",
            TextSource::Message,
            lex(),
            &mut s,
        );
        assert!(o.introduces.is_none(), "the name ends at the comma: {o:?}");
    }

    #[test]
    fn warnings_count_as_advice() {
        let mut s = SignalSet::new();
        detect_script(
            "公安机关不会要求您转账到安全账户，千万不要共享屏幕",
            TextSource::Speech,
            lex(),
            &mut s,
        );
        assert!(!s.has(codes::SCRIPT_SAFE_ACCOUNT), "{s:?}");
        assert!(s.has(codes::SCRIPT_PROTECTIVE_ADVICE), "{s:?}");
    }

    #[test]
    fn cantonese_negations_make_advice() {
        // 唔會 / 唔好 negate like 不会 / 不要; 唔該 ("please") does not.
        for t in [
            "銀行職員唔會要求你將錢轉去安全帳戶。",
            "唔好將錢轉去安全帳戶。",
        ] {
            let mut s = SignalSet::new();
            detect_script(t, TextSource::Message, lex(), &mut s);
            assert!(!s.has(codes::SCRIPT_SAFE_ACCOUNT), "{t}: {s:?}");
            assert!(s.has(codes::SCRIPT_PROTECTIVE_ADVICE), "{t}: {s:?}");
        }
        let mut s = SignalSet::new();
        detect_script(
            "唔該你將錢轉去安全帳戶。",
            TextSource::Message,
            lex(),
            &mut s,
        );
        assert!(s.has(codes::SCRIPT_SAFE_ACCOUNT), "{s:?}");
    }

    #[test]
    fn a_call_back_to_the_number_on_the_card_is_advice_unless_negated() {
        for t in [
            "Your card is locked. Call the number on the back of your card to unlock it.",
            "您的账户已冻结，请拨打卡背面的客服电话核实。",
        ] {
            let mut s = SignalSet::new();
            detect_script(t, TextSource::Message, lex(), &mut s);
            assert!(s.has(codes::SCRIPT_PROTECTIVE_ADVICE), "{t}: {s:?}");
        }
        let mut s = SignalSet::new();
        detect_script(
            "Don't call the number on your card, they will delay it. Stay with me.",
            TextSource::Message,
            lex(),
            &mut s,
        );
        assert!(!s.has(codes::SCRIPT_PROTECTIVE_ADVICE), "{s:?}");
    }

    #[test]
    fn a_phrase_is_quoted_as_the_sender_wrote_it() {
        for (text, written) in [
            ("请把钱转到安全账户，配合调查。", "安全账户"),
            ("請把錢轉到安全帳戶，配合調查。", "安全帳戶"),
            ("請把錢轉到安全賬戶，配合調查。", "安全賬戶"),
        ] {
            let mut s = SignalSet::new();
            detect_script(text, TextSource::Speech, lex(), &mut s);
            let quote = s
                .get(codes::SCRIPT_SAFE_ACCOUNT)
                .and_then(|e| e.params.as_ref())
                .and_then(|p| p.quote.clone());
            assert_eq!(quote.as_deref(), Some(written), "{text}: {s:?}");
        }
        assert_eq!(
            as_written("安 全 帳 戶", "安全账户").as_deref(),
            Some("安全帳戶")
        );
        assert_eq!(as_written("安全的帳戶", "安全账户"), None);
        assert_eq!(as_written("safe account", "safe account"), None);
    }

    #[test]
    fn message_links_and_signature() {
        let mut s = SignalSet::new();
        let o = detect_script(
            "【ETC】您的ETC已失效，请登录 etc-renzheng.top 重新认证",
            TextSource::Message,
            lex(),
            &mut s,
        );
        assert!(s.has(codes::LINK_RISKY_TLD), "{s:?}");
        assert_eq!(o.links, 1);
        assert!(o.signature);
        assert_eq!(o.signed_as.as_deref(), Some("ETC"), "as written");
    }
}

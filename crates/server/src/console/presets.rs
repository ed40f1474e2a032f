//! One-click simulator calls: each a case file whose opening starts the call and whose events
//! are the script the "next step" button plays.

use scamguard_core::Case;

/// A preset call.
#[derive(Debug)]
pub struct Preset {
    /// URL name.
    pub name: &'static str,
    /// Button caption.
    pub title: &'static str,
    /// What happens in it.
    pub summary: &'static str,
    /// The case file.
    pub case: &'static str,
}

/// Every preset, in button order.
pub const PRESETS: [Preset; 4] = [
    Preset {
        name: "police",
        title: "FaceTime 公安局 from +1 213 (scam)",
        summary:
            "A stranger named 厦门市公安局 calls from a US number: money laundering, secrecy, \
                  screen sharing, a passcode, the bank app, a transfer.",
        case: r#"{"channel": "video_call", "locale": "zh-Hans",
 "from": {"handle": "+1 213 555 0147", "display_name": "厦门市公安局", "in_contacts": false},
 "to": {"handle": "+86 138 0000 0000"},
 "events": [
  {"type": "call_offer"},
  {"type": "speech", "speaker": "remote", "text": "你好，这里是厦门市公安局刑侦支队，我姓王。你名下有一张银行卡卷进了一起跨省洗钱案，现在需要你配合调查。"},
  {"type": "speech", "speaker": "remote", "text": "案件涉密，你现在找个没人的房间，不能告诉家里人，后果你自己负责。"},
  {"type": "screen_share_request", "initiator": "remote", "app": "facetime"},
  {"type": "screen_share_started"},
  {"type": "app_foreground", "app": "工商银行", "category": "banking"},
  {"type": "otp_received", "sender": "95588", "text": "【工商银行】验证码：392817，您正在向新收款人转账，请勿泄露给他人。"},
  {"type": "payment", "amount": 50000, "currency": "CNY", "payee": "new"},
  {"type": "call_ended"}
 ]}"#,
    },
    Preset {
        name: "wechat",
        title: "微信客服 asks to share screen (scam)",
        summary: "An unknown caller named 微信客服 says a paid service is about to charge you and \
                  asks to see your screen to cancel it.",
        case: r#"{"channel": "video_call", "locale": "zh-Hans",
 "from": {"handle": "+86 171 0000 1234", "display_name": "微信客服", "in_contacts": false},
 "events": [
  {"type": "call_offer"},
  {"type": "speech", "speaker": "remote", "text": "您好，这里是微信客服。您开通的百万保障今天到期，不关闭的话每个月自动扣800元，还会影响征信。"},
  {"type": "screen_share_request", "initiator": "remote", "app": "facetime"},
  {"type": "screen_share_started"},
  {"type": "app_foreground", "app": "建设银行", "category": "banking"},
  {"type": "otp_received", "sender": "95533", "text": "【建设银行】验证码：557201，用于手机银行转账，请勿泄露。"},
  {"type": "payment", "amount": 38000, "currency": "CNY", "payee": "new"},
  {"type": "call_ended"}
 ]}"#,
    },
    Preset {
        name: "mum",
        title: "Mum shares her screen (family)",
        summary: "妈妈, a saved contact, asks to share the screen to set up Screen Time. \
                  Nothing should interrupt this call.",
        case: r#"{"channel": "video_call", "locale": "zh-Hans",
 "from": {"handle": "+86 139 0571 1234", "display_name": "妈妈", "in_contacts": true},
 "events": [
  {"type": "call_offer"},
  {"type": "speech", "speaker": "remote", "text": "宝贝，你把屏幕共享给我看一下，我教你把屏幕使用时间设上。"},
  {"type": "screen_share_request", "initiator": "remote", "app": "facetime"},
  {"type": "screen_share_started"},
  {"type": "app_foreground", "app": "设置", "category": "settings"},
  {"type": "call_ended"}
 ]}"#,
    },
    Preset {
        name: "bank",
        title: "Verified bank calls",
        summary: "ICBC calls from 95588, verified by the platform, about a blocked card charge; \
                  it says it will never ask for codes.",
        case: r#"{"channel": "video_call", "locale": "zh-Hans",
 "from": {"handle": "95588", "display_name": "中国工商银行", "in_contacts": false, "verified_org": "cn_icbc"},
 "events": [
  {"type": "call_offer"},
  {"type": "speech", "speaker": "remote", "text": "您好，这里是中国工商银行客户服务中心。您尾号8821的信用卡刚才有一笔境外交易申请，系统已暂时拦截。"},
  {"type": "speech", "speaker": "remote", "text": "如果不是您本人操作，请在工商银行App的安全中心里冻结卡片。我们不会向您索要验证码或密码。"},
  {"type": "call_ended"}
 ]}"#,
    },
];

/// The preset called `name`.
pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

impl Preset {
    /// Its case, parsed.
    pub fn parse(&self) -> Case {
        Case::from_json(self.case).expect("built-in presets are valid cases")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scamguard_core::{Action, Engine};

    #[test]
    fn presets_parse_and_end_as_labelled() {
        let engine = Engine::builtin().unwrap();
        for p in &PRESETS {
            let report = engine.check_case(&p.parse());
            let want = if p.title.contains("(scam)") {
                Action::Block
            } else {
                Action::Allow
            };
            assert_eq!(report.verdict.action, want, "{}", p.name);
        }
        assert!(find("police").is_some() && find("nope").is_none());
    }
}

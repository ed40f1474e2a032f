//! What the simulated phone says, in the session's language.
//!
//! The engine writes the explanation and the caller label itself; these are the few words of
//! phone interface around them (call state, and what each directive visibly does).

use scamguard_core::Locale;

/// The phone's words in one language.
#[derive(Debug)]
pub struct PhoneText {
    /// App title for a video call.
    pub video_call: &'static str,
    /// App title for an audio call.
    pub audio_call: &'static str,
    /// App title for a message thread.
    pub message: &'static str,
    /// A caller without a name.
    pub unknown_caller: &'static str,
    /// The call is ringing.
    pub ringing: &'static str,
    /// The call is connected.
    pub connected: &'static str,
    /// The call has ended.
    pub ended: &'static str,
    /// `deny_screen_share`.
    pub share_denied: &'static str,
    /// `deny_screen_share` after a remote-control request.
    pub remote_denied: &'static str,
    /// The screen is being shared (nothing stopped it).
    pub sharing: &'static str,
    /// `hide_otp`.
    pub otp_hidden: &'static str,
    /// Title of a passcode SMS notification.
    pub otp_sms: &'static str,
    /// `block_install`.
    pub install_blocked: &'static str,
    /// An app was installed (nothing stopped it).
    pub installed: &'static str,
    /// A payment went out (nothing held it).
    pub payment_sent: &'static str,
    /// `disable_links`.
    pub links_disabled: &'static str,
    /// A message arrived.
    pub new_message: &'static str,
    /// Call-control captions.
    pub mute: &'static str,
    /// Call-control captions.
    pub share: &'static str,
    /// Call-control captions.
    pub hang_up: &'static str,
    /// `hold_payment`, `{n}` minutes.
    payment_held: &'static str,
    /// `offer_official_callback` with a number `{n}`.
    callback_number: &'static str,
    /// `offer_official_callback` with a website `{n}`.
    callback_site: &'static str,
}

impl PhoneText {
    /// `hold_payment` for `minutes`.
    pub fn payment_held(&self, minutes: u32) -> String {
        self.payment_held.replace("{n}", &minutes.to_string())
    }

    /// The call-back button for an official number.
    pub fn callback_number(&self, number: &str) -> String {
        self.callback_number.replace("{n}", number)
    }

    /// The call-back button for an official website.
    pub fn callback_site(&self, domain: &str) -> String {
        self.callback_site.replace("{n}", domain)
    }
}

const ZH_HANS: PhoneText = PhoneText {
    video_call: "FaceTime 视频通话",
    audio_call: "FaceTime 语音通话",
    message: "信息",
    unknown_caller: "未知来电",
    ringing: "来电…",
    connected: "通话中",
    ended: "通话已结束",
    share_denied: "屏幕共享已被阻止",
    remote_denied: "远程控制已被阻止",
    sharing: "正在共享屏幕",
    otp_hidden: "验证码已隐藏",
    otp_sms: "验证码短信",
    install_blocked: "软件安装已被阻止",
    installed: "已安装",
    payment_sent: "付款已发出",
    links_disabled: "此对话中的链接已禁用",
    new_message: "新信息",
    mute: "静音",
    share: "共享",
    hang_up: "挂断",
    payment_held: "付款已暂停 {n} 分钟",
    callback_number: "挂断并拨打官方号码 {n}",
    callback_site: "前往官方网站 {n} 核实",
};

const ZH_HANT: PhoneText = PhoneText {
    video_call: "FaceTime 視訊通話",
    audio_call: "FaceTime 語音通話",
    message: "訊息",
    unknown_caller: "未知來電",
    ringing: "來電…",
    connected: "通話中",
    ended: "通話已結束",
    share_denied: "螢幕分享已被阻止",
    remote_denied: "遠端控制已被阻止",
    sharing: "正在分享螢幕",
    otp_hidden: "驗證碼已隱藏",
    otp_sms: "驗證碼簡訊",
    install_blocked: "軟體安裝已被阻止",
    installed: "已安裝",
    payment_sent: "付款已送出",
    links_disabled: "此對話中的連結已停用",
    new_message: "新訊息",
    mute: "靜音",
    share: "分享",
    hang_up: "掛斷",
    payment_held: "付款已暫停 {n} 分鐘",
    callback_number: "掛斷並撥打官方號碼 {n}",
    callback_site: "前往官方網站 {n} 核實",
};

const EN: PhoneText = PhoneText {
    video_call: "FaceTime Video",
    audio_call: "FaceTime Audio",
    message: "Messages",
    unknown_caller: "Unknown caller",
    ringing: "Incoming call…",
    connected: "Connected",
    ended: "Call ended",
    share_denied: "Screen sharing denied",
    remote_denied: "Remote control denied",
    sharing: "Sharing your screen",
    otp_hidden: "Passcode hidden",
    otp_sms: "Passcode SMS",
    install_blocked: "Installation blocked",
    installed: "Installed",
    payment_sent: "Payment sent",
    links_disabled: "Links in this conversation are disabled",
    new_message: "New message",
    mute: "Mute",
    share: "Share",
    hang_up: "End",
    payment_held: "Payment held for {n} minutes",
    callback_number: "Hang up and call the official number {n}",
    callback_site: "Check on the official site {n}",
};

/// What the simulator's step forms start with, so that a call in one language uses that
/// language's own bank, sender, currency and words.
#[derive(Debug)]
pub struct StepDefaults {
    /// Placeholder for what the caller says.
    pub speech: &'static str,
    /// The passcode SMS's sender.
    pub otp_sender: &'static str,
    /// The passcode SMS.
    pub otp_text: &'static str,
    /// The banking app opened.
    pub bank_app: &'static str,
    /// The payment's amount.
    pub amount: &'static str,
    /// The payment's currency (ISO 4217).
    pub currency: &'static str,
    /// Placeholder for a message received.
    pub message: &'static str,
    /// Placeholder for a link opened.
    pub link: &'static str,
}

const STEPS_ZH_HANS: StepDefaults = StepDefaults {
    speech: "你名下的银行卡涉嫌洗钱…",
    otp_sender: "95588",
    otp_text: "【工商银行】验证码：392817，请勿泄露给他人。",
    bank_app: "工商银行",
    amount: "50000",
    currency: "CNY",
    message: "您的账户已冻结，请点击链接解冻…",
    link: "http://icbc-verify.com/login",
};

const STEPS_ZH_HANT: StepDefaults = StepDefaults {
    speech: "你名下的銀行戶口涉嫌洗黑錢…",
    otp_sender: "HSBC",
    otp_text: "【滙豐】您的一次性密碼為392817，請勿向任何人透露。",
    bank_app: "滙豐HK",
    amount: "30000",
    currency: "HKD",
    message: "您的帳戶已被凍結，請點擊連結解凍…",
    link: "http://hsbc-verify.com/login",
};

const STEPS_EN: StepDefaults = StepDefaults {
    speech: "Your bank account is linked to a money laundering case…",
    otp_sender: "24273",
    otp_text: "Chase: your one-time code is 392817. Don't share it with anyone.",
    bank_app: "Chase",
    amount: "2500",
    currency: "USD",
    message: "Your account has been locked. Verify it at…",
    link: "http://chase-verify.com/login",
};

/// The step forms' starting values for `locale`.
pub fn steps(locale: Locale) -> &'static StepDefaults {
    match locale {
        Locale::ZhHans => &STEPS_ZH_HANS,
        Locale::ZhHant => &STEPS_ZH_HANT,
        Locale::En => &STEPS_EN,
    }
}

/// The phone's words for `locale`.
pub fn phone(locale: Locale) -> &'static PhoneText {
    match locale {
        Locale::ZhHans => &ZH_HANS,
        Locale::ZhHant => &ZH_HANT,
        Locale::En => &EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_fills_its_placeholders() {
        for l in Locale::ALL {
            let t = phone(l);
            assert!(t.payment_held(30).contains("30"));
            assert!(t.callback_number("110").contains("110"));
            assert!(t.callback_site("icbc.com.cn").contains("icbc.com.cn"));
        }
    }

    #[test]
    fn an_english_call_uses_its_own_bank_and_currency() {
        let en = steps(Locale::En);
        let chinese = |s: &str| s.chars().any(scamguard_core::text::is_cjk);
        for s in [
            en.speech,
            en.otp_sender,
            en.otp_text,
            en.bank_app,
            en.currency,
            en.message,
        ] {
            assert!(!chinese(s), "{s}");
        }
        assert_eq!(en.currency, "USD");
        assert_eq!(steps(Locale::ZhHant).currency, "HKD");
        assert_eq!(steps(Locale::ZhHans).currency, "CNY");
        for l in Locale::ALL {
            assert!(steps(l).amount.parse::<f64>().is_ok());
        }
    }
}

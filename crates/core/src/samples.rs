//! Representative inputs for throughput measurements, declared once for `scamguard bench`
//! (when no datasets are given) and the criterion benchmarks: scam and genuine, Chinese and
//! English, with the obfuscations detectors must see through.

/// Display names: claimed authorities and services, people, look-alikes.
pub const NAMES: &[&str] = &[
    "厦门市公安局",
    "王建国",
    "妈妈",
    "0731-110",
    "微信客服",
    "公\u{200b}安局",
    "PayPaI",
    "John Smith",
    "Apple Support",
    "p0lice",
    "廣州市公安局",
    "张伟",
    "Mom",
    "国家反诈中心",
    "抖音客服(已认证)",
    "Dr. Lee",
    "李娜",
    "Sarah",
    "小周",
    "Chase Card Services",
];

/// Received texts: scam scripts, lures, one-time codes and ordinary chat.
pub const MESSAGES: &[&str] = &[
    "你好，这里是厦门市公安局刑侦支队，你名下的银行卡涉嫌洗钱，请配合调查，不要告诉家人。",
    "【工商银行】您尾号1234的卡于11月25日消费128.00元，余额5,321.00元。",
    "【菜鸟驿站】您的包裹已到站，凭取件码8-3-1024到学府路店取件。",
    "您的ETC认证已失效，请登录 etc-renzheng.top 重新认证，否则将停用。",
    "妈，我手机坏了换了新号，先帮我转2000块给这个账户，我明天还你。",
    "Hi Mum, my phone broke, this is my new number. Can you pay this invoice for me today?",
    "USPS: your package is on hold due to an incomplete address. Update at usps.com-track.top reply Y",
    "Are we still on for dinner at 7? I booked the Thai place.",
    "Your Apple ID code is 482913. Don't share it with anyone.",
    "This is the fraud team at your bank. Move your savings to a safe account now and don't tell the branch staff.",
];

/// Links: official sites, look-alike and lure domains, bare IPs, shorteners.
pub const URLS: &[&str] = &[
    "https://www.icbc.com.cn/",
    "http://icbc-verify.com/login",
    "https://paypa1.com/signin",
    "http://61.222.251.66/my/mybank/",
    "https://t.cn/A6abcd",
    "https://www.example.com/blog/post",
    "http://usps.com-track.xyz/pay",
    "https://xn--pple-43d.com/",
];

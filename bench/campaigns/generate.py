#!/usr/bin/env python3
"""Synthetic campaign traffic with planted campaigns, for scoring how scamguard joins sessions.

    python3 bench/campaigns/generate.py --sessions 20000 --rings 200 --seed 1 > traffic.jsonl

Each line is {"campaign": RING or null, "case": CASE}: CASE is a scamguard case file (the
format `scamguard check` reads) and RING the planted campaign it belongs to (null for genuine
traffic). A ring is what the issue describes: a few rotating handles, one or two "safe
accounts", a call-back number, sometimes a phishing domain, a meeting room or an app host, and
a script of its own that it reads with the victim's city, amount and case number changed. Each
of its sessions names a random subset of that, so sessions are tied only through chains, and
some rings' sessions name nothing but their script. Genuine traffic (about half) is calls from
banks' real numbers, couriers, friends and clinics, which name official numbers, popular
domains and their own numbers; some scam sessions name those common things too, and must not
be joined by them.

`scamguard campaigns eval FILE` runs the engine over the cases, joins the flagged ones and
prints pairwise precision and recall against the planted rings. Deterministic for a seed.
"""
import argparse
import json
import random
import sys

CITIES = ["上海市", "杭州市", "南京市", "厦门市", "长沙市", "成都市", "武汉市", "西安市", "广州市", "深圳市"]
POLICE_NAMES = ["{city}公安局", "{city}公安局刑侦支队", "{city}反诈中心", "公安局经侦大队", "110指挥中心"]
CS_NAMES = ["微信客服", "抖音客服", "京东金融客服", "淘宝售后", "支付宝客服", "银联中心"]
EN_NAMES = ["Amazon Support", "Apple Support", "Bank Fraud Dept", "IRS Agent", "HMRC Officer"]
EN_OPEN = ["This is {name} calling about your account", "Hello, {name} here, we detected a problem",
           "Good morning, this is the security team of {name}", "This is an urgent message from {name}"]
EN_THREAT = ["your account is frozen because of suspicious activity, case number {case}",
             "someone tried to buy an iPhone with your card, reference {case}",
             "a warrant was issued in your name for unpaid taxes, file {case}",
             "your refund of {amount} dollars failed, ticket {case}"]
EN_SECRET = ["Do not tell anyone at the bank, and do not hang up.", "Keep this confidential and stay on the line.",
             "Do not discuss this with your family until the case is closed."]

# Script fragments; each ring draws its own phrasing once, then reads it to every victim.
ZH_OPEN = ["您好，这里是{city}公安局刑侦支队，我是{surname}警官", "我是{city}公安局经侦大队的民警，我姓{surname}",
           "这里是国家反诈中心，我姓{surname}", "您好，我是微信支付的客服专员小{surname}",
           "您好，我是京东金融的工作人员，工号尾号是{surname}", "我是抖音电商的售后客服{surname}经理"]
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
            "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"]
ZH_PROOF = ["您可以在最高检官网查询您的案件", "我现在把逮捕令发给您看一下", "您的身份证号码我们这里都有记录",
            "我的警号您可以随时核实", "这是国家规定的流程，请您理解", "我们的通话全程录音，请如实回答",
            "您的银行流水我们已经调取了", "系统显示您的账户今天就会被冻结"]
ZH_ACCUSE = ["您名下的银行卡涉嫌一起洗钱案件，涉案金额{amount}元", "您的身份信息被用于办理信用卡，涉嫌非法集资{amount}元",
             "您开通了百万保障服务，每月将自动扣费{amount}元", "您的学生贷款账户需要按国家政策注销，否则影响征信",
             "您的快递丢失了，我们按三倍赔偿您{amount}元", "您的征信出现异常，需要马上处理"]
ZH_SECRET = ["案情保密，不要告诉任何人，包括家人", "请找一个没人的房间配合调查，不要挂断电话", "这件事不能跟银行工作人员说",
             "请不要告诉家人，以免影响调查结果", "按流程操作，期间不要接听其他电话"]
ZH_ASK = ["请把资金转到安全账户{account}进行核查", "请把钱转到我们的监管账户{account}，核查完马上退还",
          "需要先缴纳保证金到{account}，账户名张伟", "请把贷款到账的钱转到对公账户{account}"]
ZH_CALL = ["有问题请回拨{number}", "您可以拨打我们的专线{number}核实", "加我的工作电话{number}，随时联系"]
ZH_LINK = ["请登录{domain}查看您的通缉令", "请打开 https://{domain}/case 填写资料", "在{domain}上核对您的案件编号{case}"]
ZH_MEET = ["下载腾讯会议，会议号：{meeting}，打开屏幕共享", "进入会议号{meeting}，我们远程指导您操作"]
ZH_APP = ["请下载 http://{host}/police.apk 安装公安专用软件", "先安装 http://{host}/safe.apk 防止资金被盗"]
COMMON_MENTION = ["您可以拨打95588核实", "也可以拨打110确认", "您可以上baidu.com查一下我们单位", "如有疑问请拨打96110"]

GENUINE = [
    ("95588", "工商银行", "您尾号{d4}的账户于今日转入{amount}元，如非本人操作请拨打95588。"),
    ("95533", "建设银行", "您好，这里是建设银行信用卡中心，您本月账单{amount}元，可在手机银行查看，客服电话95533。"),
    ("+86 138 {p1} {p2}", "快递小哥", "您好，您的快递放在小区门口的丰巢柜了，取件码{d4}，有问题打我电话138{p1}{p2}。"),
    ("+86 139 {p1} {p2}", "王阿姨", "晚上一起吃饭吗？我在baidu.com上看到一家新开的餐厅，电话021{p1}{p2}。"),
    ("+86 21 {p1} {p2}", "社区医院", "您好，您预约的体检在下周三上午，请空腹前来，咨询电话021{p1}{p2}。"),
    ("+44 20 {p1} {p2}", "Dentist", "Reminder: your appointment is on Tuesday at 10am. Call 020 {p1} {p2} to rebook."),
]


def digits(rng, n):
    return "".join(rng.choice("0123456789") for _ in range(n))


class Ring:
    def __init__(self, rid, rng):
        self.id = rid
        self.en = rng.random() < 0.15
        self.handles = [f"+{rng.choice(['1 213', '1 646', '63 917', '855 12', '86 171'])} {digits(rng, 3)} {digits(rng, 4)}"
                        for _ in range(rng.randint(1, 6))]
        self.accounts = [f"6222 {digits(rng, 4)} {digits(rng, 4)} {digits(rng, 4)} {digits(rng, 3)}"
                         for _ in range(rng.randint(1, 2))]
        self.numbers = [f"+{rng.choice(['1 213', '852', '86 171'])} {digits(rng, 4)} {digits(rng, 4)}"
                        for _ in range(rng.randint(0, 2))]
        self.domain = f"{rng.choice(['gov-case', 'safe-check', 'icbc-verify', 'jd-refund', 'police-query', 'anti-fraud'])}{digits(rng, 6)}.{rng.choice(['top', 'xyz', 'cc', 'vip', 'icu'])}" if rng.random() < 0.5 else None
        self.meeting = f"{digits(rng, 3)} {digits(rng, 3)} {digits(rng, 3)}" if rng.random() < 0.4 else None
        self.host = f"dl.{rng.choice(['safeapp', 'gaapp', 'helpdesk'])}{digits(rng, 6)}.{rng.choice(['top', 'cn.com', 'xyz'])}" if rng.random() < 0.25 else None
        self.name = rng.choice(EN_NAMES if self.en else POLICE_NAMES + CS_NAMES)
        surname = rng.choice(SURNAMES)
        self.script = [rng.choice(ZH_OPEN).replace("{surname}", surname), rng.choice(ZH_ACCUSE),
                       rng.choice(ZH_PROOF), rng.choice(ZH_SECRET)]
        self.en_script = [rng.choice(EN_OPEN), rng.choice(EN_THREAT), rng.choice(EN_SECRET)]
        self.ask = rng.choice(ZH_ASK)
        self.say_script = rng.random() < 0.9

    def session(self, rng, t):
        city = rng.choice(CITIES)
        fill = dict(city=city, amount=rng.randint(2, 90) * 10000, case=f"{city[:2]}{digits(rng, 6)}")
        handle = rng.choice(self.handles)
        name = self.name.format(city=city)
        events = [{"type": "call_offer", "at": t}]
        said = []
        if self.en:
            o, t_, sec = self.en_script
            said.append(o.format(name=self.name) + ": " + t_.format(**fill) + ". " + sec)
        elif self.say_script:
            said.append("，".join(p.format(**fill) for p in self.script) + "。")
        # What the ring reuses: each session names a random part of it.
        if rng.random() < 0.6:
            said.append(self.ask.format(account=rng.choice(self.accounts)) if not self.en else
                        f"Move your savings to the safe account {rng.choice(self.accounts)} now.")
        if self.numbers and rng.random() < 0.5:
            said.append(rng.choice(ZH_CALL).format(number=rng.choice(self.numbers)))
        if self.domain and rng.random() < 0.5:
            said.append(rng.choice(ZH_LINK).format(domain=self.domain, case=fill["case"]))
        if self.meeting and rng.random() < 0.5:
            said.append(rng.choice(ZH_MEET).format(meeting=self.meeting))
        if self.host and rng.random() < 0.5:
            said.append(rng.choice(ZH_APP).format(host=self.host))
        if rng.random() < 0.3:
            said.append(rng.choice(COMMON_MENTION))
        for i, text in enumerate(said):
            events.append({"type": "speech", "speaker": "remote", "text": text, "at": t + 1000 * (i + 1)})
        return {"channel": "video_call", "locale": "en" if self.en else "zh-Hans",
                "from": {"handle": handle, "display_name": name},
                "to": {"handle": f"+86 13{digits(rng, 9)}"}, "events": events}


def genuine(rng, t):
    handle, name, text = rng.choice(GENUINE)
    fill = dict(p1=digits(rng, 4), p2=digits(rng, 4), d4=digits(rng, 4), amount=rng.randint(1, 999) * 10)
    channel = "message" if handle[0] != "+" else rng.choice(["audio_call", "message"])
    ev = {"type": "message", "direction": "in", "text": text.format(**fill), "at": t} if channel == "message" else \
        {"type": "speech", "speaker": "remote", "text": text.format(**fill), "at": t}
    events = ([{"type": "call_offer", "at": t}] if channel != "message" else []) + [ev]
    return {"channel": channel, "locale": "en" if name == "Dentist" else "zh-Hans",
            "from": {"handle": handle.format(**fill), "display_name": name, "in_contacts": name == "王阿姨"},
            "to": {"handle": f"+86 13{digits(rng, 9)}"}, "events": events}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20000)
    ap.add_argument("--rings", type=int, default=200)
    ap.add_argument("--genuine-share", type=float, default=0.5)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    rings = [Ring(i + 1, rng) for i in range(a.rings)]
    # Ring sizes follow a long tail: a few large rings, many small ones.
    weights = [1.0 / (i + 1) ** 0.8 for i in range(a.rings)]
    start = 1_798_761_600_000  # 2027-01-01 UTC
    span = a.days * 86_400_000
    out = sys.stdout
    for _ in range(a.sessions):
        t = start + rng.randrange(span)
        if rng.random() < a.genuine_share:
            out.write(json.dumps({"campaign": None, "case": genuine(rng, t)}, ensure_ascii=False) + "\n")
        else:
            ring = rng.choices(rings, weights)[0]
            out.write(json.dumps({"campaign": ring.id, "case": ring.session(rng, t)}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes bench/data/zh_written_messages.jsonl: simplified-Chinese SMS, iMessage and chat texts
written for scamguard, released with the project (Apache-2.0), so that a text model that reads
Chinese can be trained from redistributable data. The default model does not include it: a
model trained on templates warned on too much genuine real-world Chinese SMS (see
docs/evaluation.md, "A bilingual model from redistributable data"); an operator combines it
with their own traffic.

Why: the message sets we may redistribute are English, so a model trained on them alone has
never seen a Chinese scam. The frauds that matter most in mainland China are scripts, not
one-line lures: a "police officer" who says your card laundered money and wants your savings in
a "safe account", a "customer-service agent" who will close a membership that "hurts your
credit" once you share your screen, a lender who wants a fee before paying out, a "boss" on a
new QQ who needs a transfer now. The words they use (账户, 验证码, 转账, 冻结, 公安, 客服) are
also the words of the genuine texts people get every day: bank debit notices, verification
codes that warn you not to share them, pickup codes, hospital and school notices, and the
police's own anti-fraud advisories. This file writes both sides and ordinary marketing, all
from general knowledge of these message types and the paraphrased typology in the project's
domain notes. Each text is composed from pools of openings, pretexts, asks and closings, so
that the model has to learn the wording of the ask rather than one fixed skeleton, and the
lengths of scam and ham overlap (short lures and long call transcripts; short chat and long
notices; long, polite marketing from carriers, platforms, banks and shops beside long formal
notices, so that being long and formal is not what marks a scam, and short lures beside short chat).
Later additions are ham that uses a scam's words: the police's own follow-up on a case the person
reported (it asks only whether the problem is solved, or to come to the station with ID), friends
and family telling each other about a scam attempt, and buyer and seller on a second-hand platform
paying through the platform.
A few records of every label carry the placeholder tokens DIGIT, NAME, PLACE and URL, as anonymised
corpora write them, so that the tokens carry no label. No text is copied from any dataset or
from the scenario cases; names, numbers, case numbers and links are random placeholders and the
link domains are made up.

Records follow the ../shared/datasets format; `split` is a hash of the text (70/15/15), so
that `scamguard train` fits on `train` and chooses settings on `dev`, and `test` stays unseen.

Usage: python3 bench/data/write_zh_messages.py   (deterministic: same file every run)
"""

import datetime
import hashlib
import random
import re

from written import record, unique_texts, write

R = random.Random(20260215)

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
                "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万严武戴孔汤")
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "霞", "平", "刚", "建华", "文博", "子涵", "浩然", "欣怡", "宇轩", "梓萱", "志强", "海燕", "晓东", "丹",
         "鹏", "婷婷", "佳怡", "俊杰", "雪梅", "国庆", "秀英", "桂兰", "建国", "晓明", "红梅", "立新", "思远",
         "雨桐", "一鸣", "嘉怡", "凯", "琳", "斌", "慧", "宁", "玉兰", "志刚", "春燕", "子豪", "诗雨", "振华"]
KIDS = ["乐乐", "豆豆", "朵朵", "小宝", "糖糖", "果果", "天天", "轩轩", "萌萌", "浩浩", "妞妞", "阳阳", "可可",
        "小雨", "睿睿", "悠悠"]
CITIES = [("北京", "010"), ("上海", "021"), ("广州", "020"), ("深圳", "0755"), ("成都", "028"), ("重庆", "023"),
          ("武汉", "027"), ("西安", "029"), ("杭州", "0571"), ("南京", "025"), ("长沙", "0731"), ("郑州", "0371"),
          ("济南", "0531"), ("青岛", "0532"), ("沈阳", "024"), ("哈尔滨", "0451"), ("昆明", "0871"),
          ("贵阳", "0851"), ("南宁", "0771"), ("福州", "0591"), ("厦门", "0592"), ("合肥", "0551"),
          ("南昌", "0791"), ("太原", "0351"), ("石家庄", "0311"), ("兰州", "0931"), ("天津", "022"),
          ("大连", "0411"), ("宁波", "0574"), ("苏州", "0512"), ("温州", "0577"), ("东莞", "0769"),
          ("佛山", "0757"), ("海口", "0898"), ("长春", "0431"), ("乌鲁木齐", "0991"), ("无锡", "0510"),
          ("泉州", "0595"), ("洛阳", "0379"), ("徐州", "0516")]
PROVINCES = ["广东", "浙江", "江苏", "山东", "河南", "四川", "湖北", "湖南", "福建", "安徽", "河北", "陕西",
             "辽宁", "江西", "云南", "广西", "贵州", "山西", "吉林", "黑龙江"]
BANKS = [("工商银行", "95588"), ("建设银行", "95533"), ("农业银行", "95599"), ("中国银行", "95566"),
         ("交通银行", "95559"), ("招商银行", "95555"), ("邮储银行", "95580"), ("平安银行", "95511"),
         ("中信银行", "95558"), ("光大银行", "95595"), ("民生银行", "95568"), ("兴业银行", "95561"),
         ("浦发银行", "95528"), ("华夏银行", "95577"), ("广发银行", "95508")]
CARRIERS = ["中通", "圆通", "申通", "韵达", "顺丰", "极兔", "京东", "邮政EMS", "德邦"]
COMMUNITIES = ["阳光花园", "翠苑小区", "金色家园", "锦绣华庭", "幸福里", "滨江花城", "绿地新城", "万科城",
               "碧桂园", "和平新村", "东湖名苑", "紫荆苑", "龙湖春江", "保利香槟", "世纪花园"]
ITEMS = ["羽绒服", "电饭煲", "蓝牙耳机", "儿童奶粉", "运动鞋", "扫地机器人", "空气炸锅", "连衣裙", "手机壳",
         "洗发水", "护肤品套装", "行李箱", "台灯", "保温杯", "床上四件套", "充电宝", "婴儿推车", "机械键盘"]
MEETING_APPS = ["腾讯会议", "Zoom", "钉钉", "瞩目", "银联会议", "中银会议", "云会通", "易信云", "微保会议"]
REMOTE_APPS = ["向日葵", "TeamViewer", "AnyDesk", "QQ远程协助", "公安系统专用App", "海鸥", "安全防护"]
DISTRICTS = ["东城", "西湖", "南山", "江北", "高新", "开发区", "天河", "武侯", "雁塔", "鼓楼", "城关", "历下"]


# --- placeholders -------------------------------------------------------------------------------

def num(n):
    return "".join(R.choice("0123456789") for _ in range(n))


def alnum(n):
    return "".join(R.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(n))


def pick(*xs):
    return R.choice(xs)


def maybe(s, p=0.5):
    return s if R.random() < p else ""


def surname():
    s = R.choice(SURNAMES)
    USED["surnames"].append(s)
    return s


def name():
    n = surname() + R.choice(GIVEN)
    USED["names"].append(n)
    return n


def city():
    return R.choice(CITIES)[0]


def kid():
    k = R.choice(KIDS)
    USED["names"].append(k)
    return k


def mobile():
    d = R.choice(["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                  "156", "157", "158", "159", "166", "173", "176", "177", "180", "181", "182", "183", "185",
                  "186", "187", "188", "189", "191", "193", "198", "199"]) + num(8)
    x = R.random()
    return d if x < 0.7 else f"{d[:3]} {d[3:7]} {d[7:]}" if x < 0.85 else f"{d[:3]}-{d[3:7]}-{d[7:]}"


def odd_phone():
    return pick(mobile(), mobile(), f"170{num(8)}", f"171{num(8)}", f"+852 {num(4)} {num(4)}",
                f"00886{num(9)}", f"+63 9{num(9)}", f"+855 {num(8)}", f"0{R.randint(10, 99)}-{num(8)}")


def landline(c=None):
    code = dict(CITIES)[c] if c else R.choice(CITIES)[1]
    return f"{code}-{num(8) if len(code) == 3 else num(R.choice([7, 8]))}"


def qq():
    return str(R.randint(10000000, 3999999999))


def wxid():
    return pick(f"{pick('kf', 'lp', 'vip', 'zx', 'jr', 'hq', 'dk', 'fw')}{num(4)}{pick('a', 'x', '88', '666', '')}",
                f"{pick('xiao', 'jin', 'an', 'fu', 'long')}{alnum(4)}{num(3)}", f"wxid_{alnum(8)}")


def acct():
    return pick(f"62{num(17)}", f"62{num(14)}", f"{num(4)} {num(4)} {num(4)} {num(4)} {num(3)}")


def caseno():
    return pick(f"({R.randint(2023, 2025)})公刑立字第{num(5)}号", f"JZ{num(8)}", f"{R.randint(2023, 2025)}{num(8)}",
                f"XZ-{num(6)}", f"({R.randint(2023, 2025)})检通字{num(4)}号", f"A{num(12)}")


def meeting_no():
    return pick(f"{num(3)} {num(3)} {num(3)}", num(9), f"{num(3)}-{num(4)}-{num(3)}")


def md():
    return f"{R.randint(1, 12)}月{R.randint(1, 28)}日"


def md0():
    return f"{R.randint(1, 12):02d}月{R.randint(1, 28):02d}日"


def hm():
    return f"{R.randint(0, 23):02d}:{R.randint(0, 59):02d}"


def hm_day():
    return f"{R.randint(8, 17):02d}:{pick('00', '10', '20', '30', '40', '50')}"


def clock():
    return pick(f"{R.randint(8, 11)}点", f"{R.randint(8, 11)}点半", f"下午{R.randint(1, 5)}点",
                f"{R.randint(14, 17)}:{pick('00', '30')}", f"上午{R.randint(9, 11)}点", f"晚上{R.randint(6, 9)}点")


def day():
    return pick("今天", "明天", "后天", "周一", "周二", "周三", "周四", "周五", "周六", "周日", "这周六", "下周一", md())


def amount(lo, hi, step=1):
    return R.randint(lo // step, hi // step) * step


def yuan(lo, hi, step=100):
    v = amount(lo, hi, step)
    x = R.random()
    if v >= 10000 and x < 0.35:
        return f"{v / 10000:g}万元" if R.random() < 0.6 else f"{v / 10000:g}万"
    if x < 0.55:
        return f"{v}元"
    if x < 0.7:
        return f"{v:,}元"
    if x < 0.82:
        return f"{v}块"
    if x < 0.92:
        return f"￥{v}"
    return f"人民币{v:,}.00元"


def cents(lo, hi):
    return f"{R.randint(lo, hi)}.{num(2)}"


def bank():
    return R.choice(BANKS)


def bad_link(*words):
    w = R.choice(words)
    tld = pick("top", "cc", "vip", "xyz", "icu", "work", "ws", "shop", "club", "site", "online", "cn.com")
    return pick(
        f"http://{w}-{pick('renzheng', 'fuwu', 'kefu', 'lipei', 'gov', 'cn', 'zx', 'help', 'vip')}.{tld}/{alnum(4)}",
        f"https://{w}.{alnum(5)}.{tld}/{alnum(3)}",
        f"http://{w}{num(2)}.{tld}",
        f"{w}.com-{pick('cn', 'gov', 'vip', 'app')}.{tld}/{alnum(4)}",
        f"t.cn/A6{alnum(5)}", f"dwz.{pick('cn', 'mk', 'top')}/{alnum(5)}",
        f"http://{R.randint(23, 212)}.{R.randint(1, 254)}.{R.randint(1, 254)}.{R.randint(1, 254)}/{w}",
        f"https://{alnum(6)}.{tld}/{w}",
    )


def shortlink():
    return pick(f"t.cn/A6{alnum(5)}", f"dwz.cn/{alnum(6)}", f"m.tb.cn/h.{alnum(6)}", f"3.cn/{alnum(5)}",
                f"u.jd.com/{alnum(6)}", f"c.tb.cn/{alnum(5)}", f"url.cn/{alnum(6)}")


def unsub(p=0.82):
    return maybe(pick("回T退订", "退订回T", "拒收请回复R", "回TD退订", "退订回N", "回复T退订", "拒收请回R",
                      "回复TD退订", "退订请回复T"), p)


def cat(parts, seps=("",)):
    """Joins clauses; a separator is skipped after closing punctuation, and a link or number at the
    end of a clause is followed by a space so that it does not run into the next one."""
    out = ""
    for p in parts:
        if out:
            if out[-1] in "。！？～!?；…":
                pass
            elif out[-1].isascii() and out[-1].isalnum():
                out += " " if R.choice(seps) == "" else R.choice(seps)
            else:
                out += R.choice(seps)
        out += p
    return out


def tail(text, *endings):
    """Adds a chat ending, but no second punctuation mark after one the text already ends with."""
    e = R.choice(endings)
    if text and text[-1] in "。！？～!?" and e in ("。", "！", "～", "!"):
        return text
    return text + e


def select(parts, cap=300, req=(0, 1)):
    """Keeps the non-empty clauses in order; drops optional ones (never those in `req`, which carry
    the pretext and the ask) at random until the text fits `cap` characters."""
    idx = [i for i, p in enumerate(parts) if p]
    opt = [i for i in idx if i not in req]
    while opt and len("".join(parts[i] for i in idx)) > cap:
        j = R.choice(opt)
        opt.remove(j)
        idx.remove(j)
    return [parts[i] for i in idx]


def assemble(parts, cap=300, req=(0, 1)):
    return cat(select(parts, cap, req))


def transcript(clauses, replies, roles):
    """Renders scammer clauses as a call/chat transcript with the victim's replies in between;
    `replies` is (first reactions, later replies)."""
    a, b = roles
    early, late = replies
    groups, i = [], 0
    while i < len(clauses):
        k = R.choice([1, 1, 2])
        groups.append("".join(clauses[i:i + k]))
        i += k
    answers = [R.choice(early)] + R.sample(late, min(len(late), len(groups)))
    out = []
    for j, g in enumerate(groups):
        out.append(f"{a}：{g}")
        if j < len(groups) - 1:
            out.append(f"{b}：{answers[j]}")
    return pick("\n", "\n", " ").join(out)


def lure(heads, claims, extras, actions, ends):
    """A one-message lure: [sender tag] claim[, consequence], ask[. closing]."""
    t = R.choice(heads) + R.choice(claims) + R.choice(extras)
    t = cat([t, R.choice(actions)], ("，",))
    if t[-1] not in "。！？":
        t += "。" if not (t[-1].isascii() and t[-1].isalnum()) else R.choice([" ", "", "。"])
    return (t + R.choice(ends)).strip()


# === scams ======================================================================================

def police():
    c = city()
    off = surname()
    org, title = pick((f"{c}市公安局刑侦支队", "警官"), (f"{c}市公安局经侦大队", "警官"),
                      (f"{c}市公安局{pick('刑警大队', '网安支队', '户籍科', '出入境管理处')}", "民警"),
                      ("国家反诈中心", "警官"), (f"{c}市反诈中心", "民警"), (f"{c}市人民检察院", "检察官"),
                      (f"{c}市中级人民法院", pick("法官", "书记员")),
                      (f"{c}市公安局{R.choice(DISTRICTS)}分局", "警官"))
    you = pick(name(), "你", "您")
    crime = pick("一起特大洗钱案", "帮助信息网络犯罪", "非法出售银行卡", "一起电信诈骗案", "非法集资",
                 "跨境赌博资金流转", "一起贩毒案的资金往来", "冒用他人身份开户", "涉黑资金转移")
    link = bad_link("gaj", "jcy", "fy-tongji", "gongan", "zgjcy", "police", "fzzx")
    if R.random() < 0.12:
        return lure([f"【{org}】", f"{org}通知：", f"[{c}公安]", "【公安提醒】", f"{off}{title}："],
                    [f"{you}涉嫌{crime}", "您的身份证被他人冒用办理银行卡", f"你名下的手机号涉嫌{crime}",
                     f"你已被列为{crime}案的嫌疑人（{caseno()}）", "你的账户有涉案资金流入"],
                    ["", "，请立即配合资金清查", "，名下账户将被冻结", "，此事须严格保密"],
                    [f"请于今日内拨打{landline(c)}", f"查看通缉令请登录{link}", f"加QQ{qq()}接受远程笔录",
                     f"进入{R.choice(MEETING_APPS)}会议{meeting_no()}配合调查"],
                    ["", "逾期后果自负。", "不要告诉任何人。"])
    if R.random() < 0.28:
        return pick(
            f"【{org}】{you}：你涉嫌{crime}，案件编号{caseno()}。请于{pick('今日', '今天下午')}{clock()}前拨打{landline(c)}"
            f"联系{off}{title}说明情况，逾期将依法冻结你名下全部账户。",
            f"{org}通知：您的身份证被他人冒用开户，涉嫌{crime}，请立即登录{link}查看通缉令并配合资金清查，此事不得向任何人透露。",
            f"您好，这里是{org}，您名下{bank()[0]}账户有涉案资金流入，为保护资金安全，请在{R.randint(2, 24)}小时内将余额转入"
            f"国家安全账户核查，核查后原路退还。咨询{odd_phone()}",
            f"【法院传票】{you}，您因{pick('信用卡恶意透支', '合同纠纷', '网贷逾期', '拒不履行判决')}被起诉，请于{md()}到"
            f"{c}市{R.choice(DISTRICTS)}区人民法院应诉，详情查看{link}，未到庭将缺席判决并列入失信名单。",
            f"【反诈中心】检测到您的账户存在涉诈风险，已临时冻结。请点击{link}下载安全防护App完成解冻，请勿挂断回访电话。",
            f"{off}{title}：你的案子还在查，记住不要告诉家里人。{pick('下午', '今晚')}{R.randint(2, 9)}点准时进{R.choice(MEETING_APPS)}，"
            f"会议号{meeting_no()}，把手机银行打开。",
            f"我是{org}的{off}{title}，{'工号' if '院' in org else '警号'}{num(6)}，你现在是{crime}的嫌疑人，电话别挂，"
        f"我把你转到{c}市{'公安局' if '院' in org else '人民检察院'}。",
            f"【12381】您的手机号涉嫌发送诈骗短信，将于24小时内停机，如有异议请回电{odd_phone()}或访问{link}。",
            f"你好，你寄往{pick('香港', '澳门', '台湾', '马来西亚', '泰国')}的包裹里查出{pick('12张银行卡', '违禁药品', '5本护照', '冰毒')}，"
            f"海关已移交{org}处理，请保持电话畅通等待{off}{title}联系。",
            f"{org}：{name()}你好，你的银行卡被用于帮信活动，现依法对你进行资金核查，请加QQ{qq()}接受远程笔录，不配合将上门抓捕。",
            f"[{c}公安]你名下的手机号{mobile()}被他人用于诈骗，已立案（{caseno()}），速回电{landline(c)}，过时不候。",
            f"警方通知：{you}涉嫌{crime}已被列为网上追逃对象，查询通缉令请登录{link}，输入身份证号即可查看。",
        )
    opener = pick(
        f"你好，我是{org}的{off}{title}，{'工号' if '院' in org else '警号'}{num(6)}。",
        f"您好，这里是{org}，我姓{off}，编号{num(5)}。",
        f"喂，{name()}是吧？我是{org}{off}{title}，现在有件案子需要你配合调查。",
        f"您好，我是{c}{pick('电信', '移动', '联通')}营业厅的工作人员，您名下一个号码在{c}大量发送诈骗短信，"
        f"已经被人举报，我现在帮您转接{org}。",
        f"您好，这里是{c}医保中心，您的医保卡在{c}有{R.randint(3, 12)}笔违规购药记录，这边帮您转接{org}报案。",
        f"您好，我是{pick('顺丰', 'EMS', 'DHL')}国际件客服，您有一个包裹被海关查扣，里面有违禁品，现转接{org}。",
        f"这里是{org}，请问是{name()}本人吗？请核对一下你的身份证号后四位。",
    )
    accuse = pick(
        f"经查，你名下一张{bank()[0]}的卡涉嫌参与{crime}，涉案金额{yuan(500000, 8000000, 10000)}。",
        f"我们抓获的犯罪嫌疑人{name()}供述，他花{yuan(2000, 30000, 1000)}买了你的银行卡用于{crime}。",
        f"有人用你的身份证在{city()}办了一张卡，用来给诈骗团伙转账，你现在是{crime}的嫌疑人。",
        f"你的身份信息被冒用，涉嫌{crime}，案件编号{caseno()}，上级已经对你下发了{pick('逮捕令', '通缉令', '冻结令')}。",
        f"你涉嫌{crime}，这个案子是部督案件，全国有{R.randint(2, 30) * 10}多名受害人。",
    )
    props = pick(
        f"你可以登录{link}输入身份证号查看通缉令，上面有你的照片。",
        "不信的话你可以打114查一下，来电显示就是我们单位的号码。",
        "我现在把我的警官证拍给你看，你核对一下。",
        "我开视频给你看一下逮捕令，上面有你的身份证号和照片。",
        f"案件编号{caseno()}，你记一下，检察院那边也能查到。",
        "",
    )
    secret = pick(
        "这个案子是保密案件，不能告诉任何人，包括你的家人。",
        "你现在找一个没人的房间，旁边有人的话笔录就无效了。",
        "你要签一份保密协议，泄露案情要承担法律责任。",
        "去银行的时候不要跟柜员说实话，就说是给亲戚转钱。",
        "如果你告诉家人，他们也会被列为同案嫌疑人。",
        "",
    )
    stay = pick("电话不要挂断，全程保持通话。", "接下来每天晚上八点开视频向我报到。",
                "手机不要接任何其他电话，特别是96110，那是嫌疑人同伙打来的。", "不要挂电话，我们在录音。", "", "")
    channel = pick(
        f"你现在下载{R.choice(MEETING_APPS)}，会议号{meeting_no()}，进去以后打开屏幕共享。",
        f"加一下我的QQ{qq()}，我们在QQ上给你做笔录。",
        f"用浏览器打开{link}，下载{R.choice(REMOTE_APPS)}，我远程帮你检查账户。",
        "你点一下屏幕共享，我一步一步指导你操作。",
        f"你在应用商店搜不到我们的软件，用这个链接下载：{link}",
        "",
    )
    money = pick(
        "为了证明你的清白，需要对你名下所有资金进行清查，把钱集中到一张卡上，转入我们指定的安全账户，核查完24小时内原数退还。",
        f"你需要先交{yuan(20000, 200000, 1000)}的取保候审保证金，不然明天就要对你实施拘留。",
        "如果你卡里没钱，可以在借呗、微粒贷上把额度借出来，证明你有经济能力，钱转到监管账户。",
        "你把刚收到的验证码念给我，我们要核对你的账户是不是被冻结了。",
        f"把你所有存款转到{bank()[0]}的资金核查账户{acct()}，户名是{name()}，这是我们的专案账户。",
        "打开手机银行，把余额页面给我看一下，我要登记你的资金情况。",
    )
    close = pick(
        "如果不配合，我们将对你采取强制措施，冻结你名下所有账户。",
        f"今天{clock()}前不处理，案件就移交检察院，到时候谁也帮不了你。",
        "配合调查是你的义务，我这也是在帮你。",
        "这是给你的最后一次机会。",
        "",
    )
    parts = [opener, accuse, props, secret, stay, channel, money, close]
    if R.random() < 0.3:
        replies = (["啊？我没办过这张卡啊", f"不可能，我从来没去过{c}", "真的假的？", "什么案子？我不知道啊", "你说什么？",
                    "我是，怎么了？"],
                   ["那我该怎么办？", "好的，我配合", "要告诉我老公吗？", "我现在在上班，旁边有人", "我怎么知道你是真的警察？",
                    "嗯", "我卡里就几万块钱", "好，我找个没人的地方", "那钱什么时候能还给我？", "我有点害怕"])
        return transcript(select(parts, R.randint(120, 230), (0, 1, 6)), replies,
                          pick(("对方", "我"), ("警官", "我"), ("来电", "我"), ("A", "B")))
    return assemble(parts, R.randint(90, 300), (0, 1, 6))


def customer_service():
    plat = pick("淘宝", "天猫", "京东", "拼多多", "抖音商城", "快手小店", "唯品会", "美团")
    item = R.choice(ITEMS)
    cour = R.choice(CARRIERS)
    link = bad_link("tb-lipei", "jd-kefu", "tuikuan", "kdlp", "pdd", "dy-kf", "wxzf")
    member = pick("抖音电商直播会员", "京东白金会员", "微信百万保障", "支付宝商品质量险", "拼多多VIP会员",
                  "快手直播分销商", "美团月付会员", "淘宝88VIP自动续费")
    fee = yuan(300, 1200, 100)
    meet = R.choice(MEETING_APPS)
    if R.random() < 0.35:
        return pick(
            f"【{plat}】亲，您购买的{item}因质量问题被召回，我们将为您办理{pick('双倍', '三倍')}退款，请添加理赔专员QQ{qq()}处理。",
            f"【{cour}快递】您的包裹（单号{num(12)}）在运输中丢失，可申请{yuan(200, 900, 10)}理赔，请点击{link}填写收款信息。",
            f"【{plat}客服】您开通的{member}将于今日扣费{fee}/月，如非本人开通请致电{odd_phone()}关闭，否则影响个人征信。",
            f"您好，我是{plat}客服，您在直播间误开通了{member}，每月自动扣{fee}，需要我帮您取消吗？请加微信{wxid()}。",
            f"亲，您{md()}下单的{item}仓库发错了，给您退{yuan(100, 600, 10)}补偿，麻烦扫一下我发的二维码填写退款账户哈。",
            f"【{plat}】您的退款因账户异常无法到账，请于24小时内访问{link}激活退款通道。",
            f"您好，这边是{plat}售后，您的订单赔付款已经审核通过，需要您下载{meet}，会议号{meeting_no()}，我们共享屏幕指导您领取。",
            f"【微信支付】您的百万保障将于今日到期，续费每月{fee}，取消请联系客服{odd_phone()}。",
            f"{plat}客服：亲，退款前需要验证您的账户，请把刚收到的6位验证码发我一下哦。",
        )
    kind = pick("parcel", "recall", "member", "member", "seller")
    if kind == "parcel":
        opener = pick(f"您好，这边是{cour}快递理赔中心，您{md()}的包裹出了点问题。",
                      f"您好，打扰一下，我是{cour}快递的客服专员，您的单号{num(12)}这票件我们找不到了。",
                      f"喂，您好，请问是尾号{num(4)}的机主吗？我是{cour}{city()}转运中心的。",
                      f"您好，我是{plat}客服，工号{num(5)}，请问是{name()}吗？您的{item}物流显示异常。")
        pretext = pick(f"您买的{item}在运输途中丢失了，我们按规定给您{pick('双倍', '三倍')}赔偿，一共{yuan(300, 3000, 10)}。",
                       f"包裹在{city()}中转站被压坏了，商家同意退款，另外再补偿您{yuan(100, 800, 10)}。",
                       "快递被误派签收了，按照平台规定给您做全额理赔。")
    elif kind == "recall":
        opener = pick(f"亲，您好，这里是{plat}官方售后，您在我们店铺买的{item}还记得吧？",
                      f"{name()}女士/先生您好，{plat}这边给您来电，是关于您{md()}的订单。",
                      f"亲亲，我是{plat}的售后小{pick('美', '雪', '杨', '周')}，您{pick('上周', '前几天', '月初')}买的{item}有个情况要跟您说一下。")
        pretext = pick(f"您买的{item}这一批次检测出{pick('甲醛超标', '质量问题', '电池隐患', '荧光剂超标')}，现在全部召回退款。",
                       f"仓库给您发错了货，我们给您退全款，再补偿{yuan(100, 600, 10)}。",
                       f"您这单被系统判定为{pick('异常订单', '重复下单')}，需要给您办理退款。")
    elif kind == "member":
        opener = pick(f"您好，这里是{pick('微信支付', '支付宝', '抖音', '京东金融')}安全中心，来电是提醒您一项即将生效的扣费。",
                      f"您好{name()}，我是{plat}金融专员，来电是关于您账户的自动扣费问题。",
                      f"您好，我是{pick('微信支付', '支付宝', '抖音')}客服中心的，系统显示您的账户有一项业务需要处理。",
                      f"喂，您好，请问是尾号{num(4)}的机主吗？这边是{plat}会员中心。")
        pretext = pick(f"您之前在直播间不小心开通了{member}，试用期已过，从本月起每月自动扣费{fee}。",
                       f"系统显示您开通了{member}，如果不关闭，不但每月扣费{fee}，还会上报征信影响以后贷款买房。",
                       f"您的账户被系统识别成{pick('代理商', '商户', '分销商')}了，每月要交{fee}的服务费，需要帮您取消身份。",
                       f"您领取的{pick('学生优惠', '新人补贴', '会员福利')}操作有误，开通了{member}，月底就要扣费。")
    else:
        opener = pick(f"您好，我是{pick('闲鱼', '转转', plat)}客服，您的店铺有一笔交易出现异常。",
                      f"卖家您好，这边是{pick('闲鱼', '转转')}官方客服，买家{name()}的付款被冻结了。")
        pretext = pick(f"您的店铺没有开通消费者保障服务，买家付的{yuan(800, 6000, 10)}已被冻结。",
                       f"您的账户未完成诚信保障认证，需要先交{yuan(500, 3000, 100)}保证金，认证后货款和保证金一起到账。")
    lead = pick(
        f"请您添加我们的理赔专员QQ{qq()}，我们在那边帮您操作。",
        f"您先下载一个{meet}，会议号{meeting_no()}，进去后打开屏幕共享，我一步步指导您。",
        f"麻烦您用浏览器打开{link}，填写银行卡号和预留手机号。",
        f"您加一下我们的官方企业微信{wxid()}，发您操作流程。",
        "您扫一下我发的二维码，进入官方处理页面。",
        "",
    )
    ask = pick(
        "请打开支付宝，找到备用金，先把500元领出来，这是为了验证您的账户是否正常。",
        "为了确认是您本人操作，请把手机收到的验证码念给我。",
        f"因为您的信用分不足，{'款项' if kind != 'member' else '关闭申请'}无法通过，需要您在借呗或京东金条上借出{yuan(5000, 50000, 1000)}"
        "验证还款能力，转入平台监管账户后会原路退回。",
        "您打开手机银行，把余额页面给我看一下，系统要核对您的账户。",
        f"刚才操作失误，系统判定为刷单，需要再转{yuan(2000, 20000, 100)}解冻，解冻后一并退还。",
        "您把免密支付关一下，然后按我说的输入支付密码。",
        "请您在页面上做一下人脸识别，验证完成就能处理。",
        f"您先转{yuan(500, 5000, 100)}到平台的对公账户{acct()}做一下资金验证。",
    )
    close = pick(
        "今天是最后处理期限，过了系统就默认续费。" if kind == "member" else "今天是最后处理期限，过期视为自动放弃。",
        "这个是官方流程，您放心，钱不会有任何损失。",
        "操作期间电话不要挂断，不然流程会中断。",
        "完成以后把这个软件删掉就可以了。",
        "这个是内部通道，别跟其他人说，不然审核会失败。",
        "不要接其他电话，也不要去银行柜台问，他们不了解我们的系统。",
        "",
    )
    parts = [opener, pretext, lead, ask, close]
    if R.random() < 0.25:
        replies = (["是的，是我", "嗯，怎么了？", "是吗？我怎么不知道", "哪个订单？"],
                   ["我没开通过啊", "那怎么弄？", "好的", "要我转钱吗？", "你们真的是官方客服？", "行，我下载一下",
                    "会影响征信吗？", "嗯，你说", "钱什么时候能到账？"])
        return transcript(select(parts, R.randint(110, 220), (0, 1, 3)), replies,
                          pick(("客服", "我"), ("对方", "我"), ("来电", "我")))
    return assemble(parts, R.randint(70, 300), (0, 1, 3))


def credit_record():
    plat = pick("京东金融", "微粒贷", "支付宝", "度小满", "360借条", "金融监管局", "银保监会", "人民银行征信中心")
    if R.random() < 0.4:
        return pick(
            f"【征信修复】专业消除逾期记录，{pick('不成功不收费', '三天出结果', '内部渠道')}，先付{yuan(800, 5000, 100)}定金，加V：{wxid()}",
            f"您好，{plat}通知：您大学期间注册的学生账户尚未注销，根据国家政策须于今日内注销，否则影响个人征信，请回电{odd_phone()}。",
            f"【{plat}】您的校园贷账户存在违规记录，将上报征信系统，注销请访问{bad_link('zhengxin', 'xyd', 'jdjr')}。",
            f"征信不好贷不了款？我们可以帮您修复征信，洗白逾期，成功率98%，咨询QQ{qq()}",
            f"{name()}您好，系统显示您名下有一笔京东白条学生认证未关闭，按规定须在{md()}前注销，详情联系{odd_phone()}。",
        )
    opener = pick(f"您好，我是{plat}的工作人员，工号{num(6)}。", f"同学你好，这边是{plat}客服，请问是{name()}本人吗？",
                  f"你好，我们是{plat}风控部门的。", f"{name()}你好，{plat}这边给你来电是关于学生账户清理的事。",
                  f"喂，是{pick('在', '曾在')}{city()}{pick('读大学', '上大专', '念书')}的{name()}吗？我这边是{plat}。",
                  f"您好，我是{plat}征信专员{surname()}{pick('专员', '主管', '老师')}。")
    pretext = pick(
        "您在大学期间开通过校园贷账户，按照国家最新政策，所有学生账户必须注销，否则会影响征信。",
        "系统查到有人用您的身份在我们平台开了贷款账户，现在逾期了，会记入您的征信。",
        "您的征信有一条逾期记录，我们可以通过内部渠道帮您消除。",
        "您之前的学生认证没有取消，现在属于违规开户，需要清理额度。",
        "根据上级通知，毕业生名下的学生贷款资格要全部关闭，不关闭的视为恶意占用额度。",
        f"您{R.randint(2015, 2021)}年注册的学生账户还有{yuan(5000, 30000, 1000)}的授信没注销，月底前必须处理完。",
    )
    ask = pick(
        "需要您在几个借款平台把额度借出来清零，转到我们的监管账户，系统核实后会自动注销并退回。",
        f"您下载一个{R.choice(MEETING_APPS)}，会议号{meeting_no()}，共享屏幕我指导您操作。",
        f"修复需要交{yuan(1000, 8000, 100)}的服务费，修复后征信报告里就查不到了。",
        f"您先把借呗、微粒贷、京东金条里的额度都提出来，转到{bank()[0]}账户{acct()}，户名{name()}。",
        "把收到的验证码告诉我，我这边帮您提交注销申请。",
    )
    close = pick("操作完以后把借款App都卸载掉。", "这个事情比较急，今天不处理明天就上报了。",
                 "整个过程不要跟别人说，以免影响审核。", "", "")
    extra = "不要挂电话，我们一步一步来。" if "会议" in ask else pick(f"您先下载{R.choice(MEETING_APPS)}共享一下屏幕。",
                                                             "不要挂电话，我们一步一步来。")
    return assemble([opener, pretext, ask, maybe(extra, 0.4), close],
        R.randint(60, 260), (0, 1, 2))


def loan_fraud():
    plat = pick("速融", "易借", "安心贷", "鑫盛金融", "宏达普惠", "安信贷", "众鑫金融", "优贷宝", "融e借")
    amt = yuan(30000, 300000, 10000)
    link = bad_link("daikuan", "jiekuan", "rong", "yidai", "dk")
    fee_kind = pick("手续费", "保证金", "解冻金", "会员费", "保险费", "验资金", "工本费", "激活费")
    fee = yuan(1000, 30000, 100)
    if R.random() < 0.45:
        return pick(
            f"【{plat}】无抵押、无担保，凭身份证即可贷，最高{yuan(100000, 500000, 10000)}，当天放款，年化低至{R.randint(2, 4)}%。"
            f"申请：{link} {unsub(0.3)}",
            f"您好，您在{plat}申请的{amt}贷款已审批通过，放款前需缴纳{fee}{fee_kind}，到账后一并退还，请联系专员{wxid()}。",
            f"【{plat}】您的借款因银行卡号填写错误已被冻结，请在2小时内缴纳解冻金{fee}，逾期将上报征信并起诉。",
            f"急用钱找我，黑户白户都能下款，不看征信，不查流水，{amt}秒到，加QQ{qq()}。",
            f"【金融监管总局】您在{plat}的贷款账户涉嫌违规操作，资金已冻结，缴纳{fee}保证金后24小时内解冻。",
            f"{plat}信贷员：您的流水不够，放款前需要刷一下流水，先往我们财务账户转{fee}，审核完原路退回。",
            f"恭喜您获得{plat}{amt}信用额度，提现需先交{fee_kind}{fee}，加客服微信{wxid()}办理。",
        )
    opener = pick(f"您好，我是{plat}的信贷经理{surname()}经理。", f"您好，这边是{plat}贷款审核部。",
                  f"你好，看到你在网上留了贷款需求，我是{plat}的客服。", f"{name()}您好，您的借款申请我们已经收到了。",
                  f"老板您好，{plat}这边可以给您做{pick('无抵押', '信用', '装修', '经营')}贷款，了解一下吗？",
                  f"您好，我是之前加您微信的{plat}放款专员。", f"{surname()}先生/女士，您在{plat}App里提交的借款进度我跟您说一下。",
                  f"您好，{plat}风控中心通知您：")
    mid = pick(
        f"您申请的{amt}已经审批下来了，但是系统显示您的征信有点问题，需要先交{fee}的{fee_kind}证明还款能力。",
        f"您的资料填写有误，银行卡号错了一位，导致资金被冻结，需要缴纳{fee}解冻金。",
        f"放款前需要验证您的银行流水，您先转{fee}到我们的财务账户，刷一下流水，审核通过后连本带息退还。",
        f"我们这个是无抵押低息贷款，月息只有{R.randint(2, 5)}厘，但是要先购买{fee}的贷款保险。",
        f"您的额度是{amt}，下款前要交{R.randint(5, 30)}%的保证金，也就是{fee}。",
        f"您的钱已经打到平台账户了，但是提现显示账户冻结，要交{fee}{fee_kind}才能解冻到卡。",
        f"审核员说您的资质有点弱，需要买一份{fee}的{pick('贷款保险', '担保服务', 'VIP会员')}才能通过，放款后可以退。",
    )
    follow = pick(
        f"您下载一下我们的App：{link}，在里面提交。",
        f"钱转到这个账户：{bank()[0]}{acct()}，户名{name()}，这是我们公司财务。",
        "转完把截图发我，我马上给您加急放款。",
        "这个钱是要退的，放款时一起打到您卡上。",
        "",
    )
    close = pick("今天不交的话额度就作废了，而且会记入征信。", "名额有限，您抓紧。",
                 f"如不按时处理，我们将移交{pick('法务部', '律师事务所', '金融监管局')}。", "", "")
    return assemble([opener, mid, follow, close], R.randint(50, 260), (0, 1))


def fake_leader():
    boss = surname() + pick("总", "局", "主任", "校长", "书记", "处", "经理", "董")
    me = pick(f"小{surname()}", name(), f"{surname()}{R.choice(GIVEN)[:1]}", f"{surname()}会计", f"小{R.choice(GIVEN)[:1]}")
    acc = f"{bank()[0]}{acct()}，户名{name()}"
    amt = yuan(20000, 500000, 1000)
    if R.random() < 0.45:
        return pick(
            f"{me}，明天上午{pick('九点', '十点', '8点半', '10点')}到我办公室来一趟。",
            f"我是{boss}，这是我新的{pick('QQ', '微信')}，原来那个不用了，你加一下{qq()}。",
            f"{me}在吗？我是{boss}，有件事需要你马上处理一下，先别跟别人说。",
            f"我在外面开会不方便接电话，有笔{amt}的合同款今天必须付，你先转到这个账户：{acc}，转完截图发我。",
            f"财务在吗？{boss}让我通知，马上给{pick('合作方', '供应商', '项目方')}付{amt}定金，账户我发你，审批回来补签。",
            f"我是{boss}，建了个临时工作群，群号{qq()}，财务的几个人都进来，有急事安排。",
            f"{me}，你现在方便吗？帮我办件私事，不方便让别人知道。",
            f"这是我新号，存一下。{me}你明天早点到单位，我找你有事。",
        )
    opener = pick(f"{me}，我是{boss}，这是我另一个号。", f"在吗？我是{boss}。", f"{me}，忙不忙？我是{boss}，换了个新微信。",
                  f"{boss}：{me}，在单位吗？")
    warm = pick("最近工作表现不错，领导们都看在眼里，年底考虑给你压压担子。", "你办事我放心，所以这事只找你。",
                "身体怎么样？最近辛苦了。", "")
    ask = pick(
        f"我一个老领导的亲戚急需{amt}，我不方便出面，你先帮我转给他，账户是{acc}。",
        f"有个合作方的保证金今天必须到账，我刚从我卡上转了{amt}给你，跨行要24小时才到，你先从你那边垫付转给对方：{acc}。",
        f"你那边先转{amt}给这个账户，{acc}，我回来就还你。",
        f"让财务马上给{acc}打{amt}，合同我回去补签，手续后补。",
        f"帮我买{R.randint(3, 10)}张{pick('京东E卡', '购物卡', '加油卡')}，每张{pick('1000', '2000', '5000')}面值，卡密发我。",
    )
    press = pick("这事比较急，半小时内办好。", "我在开会，不方便语音，你弄好发截图给我。", "别跟其他同事讲，影响不好。",
                 "信号不好，电话打不通，有事QQ上说。", "转完告诉我一声。", "")
    parts = [opener, warm, ask, maybe(pick("这是转账截图，你看下。", "不要打我原来的电话，那个号在开会静音。"), 0.35), press]
    return assemble(parts, R.randint(40, 230), (0, 2))


def fake_acquaintance():
    me = name()
    k = kid()
    acc = f"{bank()[0]}{acct()}，户名{name()}"
    amt = yuan(3000, 80000, 500)
    if R.random() < 0.45:
        return pick(
            f"猜猜我是谁？我换号了，存一下新号{mobile()}。",
            "妈，我手机掉水里了，这是我新号，先别打电话，我在上课。",
            f"爸，我是{pick('小军', '阿明', '丽丽', '小雨')}，换号了，急需{amt}交{pick('培训费', '房租', '考证费', '医药费')}，转到{acc}，别告诉我妈。",
            f"老同学，还记得我吗？我是{me}啊，好久没联系了，最近手头有点紧，能借我{amt}周转一下吗？",
            f"在吗？帮我个忙，我{pick('QQ钱包', '微信支付')}被限额了，你先帮我给这个人转{amt}，{acc}，回头还你。",
            f"哥，我是{R.choice(GIVEN)}，在{city()}出差钱包被偷了，身份证也丢了，先给我转{amt}应急，到家就还。",
            f"{k}家长您好，我是{pick('班主任', '数学老师', '体育老师')}{surname()}老师，孩子在学校摔伤了，正在医院，急需先交{amt}押金，请转{acc}。",
            f"我是{me}，出了点事在{city()}被{pick('扣', '拘留', '撞了人')}，急需{amt}，千万别告诉别人，先转{acc}。",
        )
    kind = pick("teacher", "relative", "relative", "friend", "classmate")
    if kind == "teacher":
        opener = pick(f"{k}妈妈您好，我是{k}的班主任{surname()}老师。", f"您好，是{k}家长吗？我是学校的{surname()}老师。",
                      f"{k}爸爸，我是{pick('体育', '数学', '语文')}老师，孩子出了点状况。")
        story = pick(f"孩子在学校{pick('突发阑尾炎', '打篮球摔伤了头', '过敏休克', '和同学打架受伤')}，现在在{city()}"
                     f"{pick('第一人民医院', '中心医院', '儿童医院')}，医生说要马上手术。",
                     f"{k}上体育课晕倒了，已经送到医院急诊，我在这边陪着。")
        ask = pick(f"需要先交{amt}押金，您先转到{acc}，这是医院收费处的账户。",
                   f"医院要先交{amt}才能手术，您转到{acc}，我这边马上去缴费。")
        press = pick("您别打电话了，我这边在忙着跟医生沟通。", "情况紧急，越快越好。", "")
    elif kind == "relative":
        opener = pick(f"我是{me}，换号了。", "猜猜我是谁？听不出来啦？", f"姐，是我，{R.choice(GIVEN)}，这是我新号码。",
                      "妈，是我，手机坏了借同学的发。", f"舅舅，我是{R.choice(GIVEN)}呀，换了个新微信。",
                      f"{pick('叔', '姑', '姨')}，是我，{R.choice(GIVEN)}，好久没联系了。")
        story = pick(f"我在学校交{pick('考证费', '培训费', '实习押金', '住宿费')}，今天截止，差{amt}。",
                     f"我在{city()}出差钱包被偷了，卡和身份证都在里面。",
                     f"我在{city()}住院了，医院要先交{amt}押金。", "我手机银行登不上去，有笔钱今天必须付。")
        ask = pick(f"你先帮我转到这个卡上：{acc}，是我同学的，我现在用不了自己的卡。",
                   f"能不能先转{amt}到{acc}，我下周一定还你。", f"先打{amt}到{acc}，到家就还你。")
        press = pick("千万别告诉爸妈，他们心脏不好。", "我现在不方便接电话，转好了发个截图。", "你别打我原来那个号，已经停了。", "")
    elif kind == "friend":
        opener = pick(f"我是{me}，出了点事。", f"我是{me}的朋友，{me}出事了，他让我找你。", f"兄弟，我是{me}，换了个号。")
        story = pick(f"在{city()}出了车祸，对方要{amt}私了，不然就报警，我现在身上没钱。",
                     f"在{city()}被{pick('扣了', '拘留了', '派出所留下了')}，要交{amt}才能出来。",
                     f"做生意资金周转不开，今天要还一笔{amt}的货款。")
        ask = pick(f"你先转{amt}到{acc}，回头细说。", f"能不能先借{amt}，转到{acc}，我过两天连本带利还你。")
        press = pick("千万别告诉别人。", "急！越快越好！", "先别声张，回来跟你细说。", "")
    else:
        opener = pick(f"老同学，我是{me}，加你微信了。", f"嗨，还记得我不？{pick('高中', '大学', '初中')}坐你后面那个，{me}。",
                      f"老同学，还记得我吗？我是{me}啊。")
        story = pick(f"好久没联系了，最近{pick('被朋友坑了', '家里出了点事', '在外地住院了', '换工作还没发工资')}，实在没办法才找你。",
                     f"我现在在{city()}，{pick('孩子病了', '房东催房租', '老父亲要做手术')}，手头紧。")
        ask = pick(f"能不能借我{amt}周转一下？转到{acc}就行，{R.randint(5, 25)}号发工资就还你。",
                   f"你先借我{amt}，打到{acc}，这是我老婆的卡。")
        press = pick("我现在不方便接电话，发消息就行。", "帮帮忙，就这一次。", "")
    return assemble([opener, story, ask, press], R.randint(40, 240), (0, 1, 2))


def flight_rebook():
    air = pick("南方航空", "东方航空", "中国国航", "海南航空", "厦门航空", "四川航空", "深圳航空", "春秋航空")
    code = pick("CZ", "MU", "CA", "HU", "MF", "3U", "ZH", "9C")
    c1, c2 = R.sample([c for c, _ in CITIES], 2)
    if R.random() < 0.3:
        return lure([f"【{air}】", "【航班取消】", "【航班动态】", "【航旅服务】", "尊敬的旅客，"],
                    [f"您预订的{md()}{c1}至{c2}{code}{R.randint(1000, 9999)}航班已取消", f"您的{c1}—{c2}航班因{pick('机械故障', '天气原因', '航空管制')}取消",
                     f"您乘坐的{code}{R.randint(1000, 9999)}次航班延误超过4小时"],
                    ["", f"，每位旅客可获{yuan(200, 600, 50)}补偿", "，可申请延误险理赔"],
                    [f"请致电{odd_phone()}办理改签", f"改签请联系客服{odd_phone()}，需验证银行卡", f"请点击{bad_link('hangban', 'lipei', 'air')}领取补偿"],
                    ["", "", "过时将无法改签。"])
    if R.random() < 0.4:
        return pick(
            f"【{air}】尊敬的旅客{name()}：您预订的{md()}{c1}至{c2}{code}{R.randint(1000, 9999)}航班因{pick('机械故障', '天气原因', '航空管制')}"
            f"已取消，请于{clock()}前致电{odd_phone()}办理改签，每位旅客可获{yuan(200, 500, 50)}补偿。",
            f"【航班取消】您好，您乘坐的{code}{R.randint(1000, 9999)}次航班取消，改签请联系客服{odd_phone()}，改签需验证银行卡，补偿{yuan(200, 600, 100)}。",
            f"尊敬的旅客，您的{c1}—{c2}航班延误，可领取延误险理赔{yuan(300, 1000, 100)}，请点击{bad_link('hangban', 'lipei', 'air')}填写银行卡信息。",
        )
    return assemble([
        f"您好，我是{air}客服，您{md()}去{c2}的航班因为故障取消了。",
        pick("改签的话需要您配合验证一下银行卡，确认是本人账户。", "我们会给您退票并补偿，补偿款需要走银行系统退回。"),
        pick("请打开手机银行，按我说的操作，页面上输入这个数字是退款编号。", "您把收到的验证码报给我，系统才能把补偿打给您。",
             f"您下载{R.choice(MEETING_APPS)}，会议号{meeting_no()}，共享屏幕我帮您操作。"),
        pick("操作期间不要挂电话。", "钱不会从您卡里扣，放心。", ""),
    ], R.randint(60, 200), (0, 1, 2))


def task_rebate():
    app = pick("快乐赚", "点点盈", "任务宝", "抖客联盟", "星推", "易赚", "蜜蜂众包")
    if R.random() < 0.25:
        return lure(["【兼职】", "【招聘】", "宝妈学生看过来：", "", f"【{app}】"],
                    ["在家用手机就能做", "线上点赞关注", "给商家刷好评", "动动手指看视频", "时间自由，不收押金"],
                    [f"，一单{R.randint(2, 8)}元", f"，日结{R.randint(150, 600)}元", f"，一天轻松{R.randint(200, 500)}+", ""],
                    [f"有意加QQ{qq()}", f"加微信{wxid()}", f"下载{app}：{bad_link('zhuan', 'task', 'jianzhi')}", "扫码进群领取任务"],
                    ["", "", "名额有限。", "先到先得！"])
    if R.random() < 0.35:
        return pick(
            f"【兼职】在家用手机就能做，抖音点赞关注一单{R.randint(2, 5)}元，日结{R.randint(200, 500)}元，有意加QQ{qq()}",
            f"招聘宝妈、学生兼职，动动手指刷好评，一单佣金{R.randint(5, 30)}元，当天返款，加微信{wxid()}。",
            f"您好，我们在招线上点赞员，时间自由，日赚{R.randint(150, 800)}，下载{app}：{bad_link('zhuan', 'task', 'jianzhi')}",
            f"恭喜你获得免费礼品一份！扫码进群领取，群内还有日结兼职，点赞一次{R.randint(2, 5)}元。",
            f"【{app}】你的佣金{R.randint(20, 80)}元已到账，进阶任务充{R.randint(500, 2000)}返{R.randint(600, 2600)}，名额有限。",
        )
    a = R.randint(500, 3000)
    return assemble([
        pick("亲，欢迎加入任务群！", f"你好，我是{app}的接待员。", "宝，第一单做得很棒！"),
        pick(f"第一单点赞的{R.randint(3, 10)}元已经发你微信了，请查收。", "前面三个关注任务的佣金已经给您返了。"),
        pick(f"接下来需要下载{app}领取进阶任务：{bad_link('zhuan', 'task', 'rw')}。", f"现在进入充值任务，充{a}元返{int(a * 1.3)}元，马上到账。"),
        pick(f"您这单卡单了，系统提示连单任务未完成，需要再充{yuan(3000, 30000, 100)}才能一起提现。",
             "因为您操作失误，账户被冻结，需要补单才能解冻。", "充值越多返利越多，导师带的学员一天能赚好几千。"),
        pick("不要退群，也不要跟家人说，这是内部名额。", "完成后本金加佣金一起提现。", ""),
    ], R.randint(60, 260), (0, 2, 3))


def investment():
    app = pick("汇金国际", "BTC Pro", "恒信证券", "CoinMax", "金盛期货", "币安云", "优选量化", "华盈资本")
    if R.random() < 0.45:
        return pick(
            f"【股票内参】{pick('王老师', '李导师', '陈教授')}明天带大家抓涨停牌，免费入群：QQ{qq()}，名额仅剩{R.randint(3, 20)}个。",
            f"虚拟币导师群今日推荐，日收益{R.randint(10, 40)}%，稳赚不赔，下载{app}：{bad_link('btc', 'coin', 'usdt')}",
            f"您好，我是{app}的助理，昨天群里学员平均收益{R.randint(15, 60)}%，老师今晚直播讲课，点击进群：{bad_link('gp', 'vip', 'stock')}",
            f"内部消息，{app}平台有个漏洞，投{yuan(10000, 50000, 1000)}三天翻倍，就剩今天了，加我微信{wxid()}。",
        )
    return assemble([
        pick("宝，早上好呀～", "哥哥，今天工作累不累？", f"{name()}，我是群里的助教。", "亲爱的，跟你说个好消息。",
             "你好呀，上次在群里聊得挺开心的。", f"{name()}您好，我是{app}的客户经理。", "今天大盘你看了吗？",
             "我刚下班，今天又赚了一笔，开心～"),
        pick(f"我叔叔在{app}做数据分析，发现平台有个漏洞，每天稳定收益{R.randint(5, 30)}%。",
             f"老师今天在群里带单，跟着操作的学员都赚了{R.randint(20, 90)}%。", "这个项目有内部资源，只带自己人。"),
        pick(f"你先小投{yuan(1000, 5000, 500)}试试，赚了能随时提现。", f"你下载{app}，我教你怎么买：{bad_link('coin', 'invest', 'gp')}",
             "我也投了三十万，昨天刚提了一部分出来。"),
        pick(f"现在提现要交{R.randint(10, 30)}%的个人所得税和保证金才能出款。", "大额充值有额外奖励，这周是最后机会。",
             "别告诉别人，人多了漏洞就被堵了。", ""),
    ], R.randint(60, 260), (0, 1, 2))


def social_insurance():
    c = city()
    link = bad_link("ybj", "yibao", "shebao", "rsj", "12333")
    if R.random() < 0.3:
        return lure(
            ["【医保局】", f"【{c}医保中心】", f"【{c}人社局】", "【社保中心】", "【国家医保服务平台】", ""],
            ["您的医保卡因信息缺失将于今日17:00停用", "您的社保卡状态异常", "您的医保个人账户存在违规报销记录",
             f"您有一笔{yuan(1000, 5000, 100)}的社保补贴待领取", "国家医保卡升级，旧卡即将停用", "您的医保账户将被冻结"],
            ["", "，24小时内未处理将停止使用", "，逾期将追回已报销费用", "，请尽快处理"],
            [f"请立即登录{link}补录资料", f"请访问{link}认证", f"请在{md()}前登录{link}填写银行卡信息",
             f"点击{link}办理电子医保升级", "详情请按9转人工服务", f"请回电{odd_phone()}"],
            ["", ""])
    if R.random() < 0.35:
        return pick(
            f"【医保局】您的医保卡因信息缺失将于今日17:00停用，请立即登录{link}补录资料。",
            f"【{c}人社局】您的社保卡状态异常，24小时内未处理将停止使用，请访问{link}认证。",
            "您好，您的医保卡存在违规报销记录，即将冻结，详情请按9转人工服务。",
            f"【社保中心】您有一笔{yuan(1000, 5000, 100)}的社保补贴待领取，请在{md()}前登录{link}填写银行卡信息。",
            f"【医保】国家医保卡升级，旧卡{md()}起停用，请点击{link}办理电子医保升级。",
        )
    other = city()
    return assemble([
        pick(f"（语音播报）您好，这里是{c}医保中心，您的医保卡存在异常消费，将于今天下午五点冻结，咨询请按9转人工。",
             f"您好，我是{c}社保局的工作人员，工号{num(5)}。"),
        pick(f"我们查到您的医保卡在{other}有{R.randint(3, 15)}笔违规购药记录，金额{yuan(3000, 30000, 100)}。",
             "您的社保卡被人冒用办理了异地报销，已经涉嫌骗保。"),
        pick(f"这边给您转接{other}公安局{surname()}警官报案。", "需要您配合核实身份，把社保卡绑定的银行卡号和验证码提供一下。",
             f"您需要下载{R.choice(MEETING_APPS)}共享屏幕，我们远程帮您解除冻结。"),
        pick("如不处理，将追究刑事责任。", "不要挂断电话。", ""),
    ], R.randint(80, 260), (0, 1, 2))


def etc_link():
    p = R.choice(PROVINCES)
    link = pick("http://etc-renzheng.top/" + alnum(4), bad_link("etc", "etcrz", "gs-etc", "etc-gov", "etczx", "etc95022"))
    return lure(
        ["【ETC服务】", "【高速ETC】", f"【{p}ETC】", "【ETC出行】", "【车辆中心】", "【ETC在线认证中心】", f"【{p}高速】", "",
         "【交通运输】"],
        ["您的ETC认证已失效", "您的ETC卡即将停用", "您的车辆ETC信息异常", "系统检测到您的ETC设备未完成年审",
         "您的ETC绑定银行卡已过期", "因ETC系统升级，您的账户需要重新激活", f"尊敬的车主，您的ETC将于{md()}冻结",
         "您的ETC通行记录存在欠费"],
        ["", "，为避免影响正常通行", "，通行将按全程收费", "，逾期将列入高速黑名单", "，将无法享受通行费优惠",
         "，下次过站将无法抬杆"],
        [f"请立即登录{link}重新认证", f"请于24小时内完成二次认证：{link}", f"点击{link}更新车辆信息",
         f"请访问{link}重新绑定银行卡", f"请及时登录 {link} 办理", f"请点击链接{link}补缴并认证"],
        ["", "", "如已办理请忽略。", f"详询{odd_phone()}", "回复1获取帮助。"])


def prize_link():
    link = bad_link("jifen", "10086-vip", "dh", "lingjiang", "hongbao", "jfdh")
    if R.random() < 0.3:
        return pick(
            f"恭喜您被《{pick('奔跑吧', '星光大道', '中国好声音', '快乐大本营')}》节目组抽中为幸运观众，获得{yuan(58000, 198000, 1000)}奖金及笔记本电脑一台，"
            f"领取请访问{link}，验证码{num(4)}。",
            f"您被抽中{pick('周年庆', '年终回馈', '店庆')}一等奖，奖品价值{yuan(3000, 20000, 100)}，需先缴纳{yuan(300, 1500, 10)}个人所得税后发放，联系{odd_phone()}。",
        )
    return lure(
        ["【中国移动】", "【中国联通】", "【中国电信】", f"【{bank()[0]}】", "【积分中心】", "【积分兑换】", "尊敬的用户：", ""],
        [f"您的{R.randint(3000, 20000)}积分即将清零", f"您有{R.randint(2000, 30000)}积分将于今日过期",
         f"您的信用卡积分{R.randint(5000, 50000)}分可兑换{pick('电饭煲', '蓝牙音箱', '行李箱', '现金')}",
         f"您已获得{yuan(100, 800, 10)}话费补贴", f"您的话费积分可兑换{yuan(100, 500, 10)}现金红包"],
        ["", "，逾期作废", "，仅限今日", "，名额有限"],
        [f"请登录{link}领取", f"点击{link}立即兑换", f"登录{link}，填写银行卡号和验证码即可到账", f"兑换请访问 {link}"],
        ["", "", "回TD退订", "【官方活动】"])


def parcel_link():
    cour = R.choice(CARRIERS)
    link = bad_link("kuaidi", "sf-express", "cainiao", "ems-cn", "zto", "wuliu")
    return lure(
        [f"【{cour}】", "【快递理赔】", "【海关】", "【菜鸟】", f"【{cour}快递】", "【中国邮政】", ""],
        ["您的包裹因地址不详无法投递", f"您的快件{num(13)}在运输中丢失", "您的国际包裹因未申报被扣",
         "您有一个包裹派送异常", "您的快递已到达驿站，但面单破损需重新验证身份", "您的包裹因超重需补缴运费",
         f"您的包裹被海关查扣，需补缴关税{yuan(200, 2000, 10)}"],
        ["", "，逾期退回", "，24小时后将退回发件人", "，可申请三倍赔偿", "，逾期销毁"],
        [f"请在24小时内登录{link}更新信息", f"请点击{link}填写收款信息", f"请点击{link}缴纳",
         "回复1获取处理链接，然后重新打开本短信点击链接", f"请访问{link}", f"请联系理赔专员{odd_phone()}"],
        ["", "", f"快件单号{num(12)}"])


# === spam (marketing) ===========================================================================

def retail():
    brand = pick("优衣库", "苏宁易购", "国美", "名创优品", "李宁", "安踏", "森马", "屈臣氏", "永辉超市", "沃尔玛",
                 "万达广场", "银泰百货", "波司登", "太平鸟", "海澜之家")
    ev = pick("618年中大促", "双11狂欢", "周年庆", "年货节", "开学季", "换季清仓", "会员日", "国庆黄金周")
    return pick(
        f"【{brand}】{ev}来啦！全场{R.randint(3, 8)}折起，满{R.randint(2, 5)}00减{R.randint(3, 9)}0，{md()}截止，戳{shortlink()} {unsub()}",
        f"【{brand}】亲爱的顾客，{ev}限时特惠，指定商品买一送一，到店出示短信再享9.5折。{unsub()}",
        f"{brand}{ev}：{R.choice(ITEMS)}低至{R.randint(29, 399)}元，前{R.randint(100, 500)}名下单赠好礼，详询{landline()}。{unsub()}",
        f"【{brand}】{ev}爆款返场，{R.randint(2, 4)}件{R.randint(6, 9)}折，今晚{R.randint(8, 10)}点开抢！{shortlink()} {unsub()}",
        f"【{brand}】新品上市，{R.choice(ITEMS)}{R.randint(3, 7)}折尝鲜价，本周末{R.choice(COMMUNITIES)}店有现场活动，欢迎光临！{unsub()}",
    )


def points():
    brand = pick("中国石化", "星巴克", "肯德基", "华润万家", "盒马", "山姆会员店", "周大福", "永辉超市", "京东PLUS",
                 "物美", "喜茶", "瑞幸咖啡")
    return pick(
        f"【{brand}】尊敬的会员，您有{R.randint(500, 9000)}积分将于{md()}到期，可到店兑换{pick('购物券', '精美礼品', '饮品', '洗衣液')}，别浪费哦。{unsub()}",
        f"【{brand}】您的会员等级已升级为{pick('金卡', '银卡', '钻石', '黑金')}会员，专享{R.randint(8, 9)}.{R.randint(0, 9)}折及生日礼，详情见App。{unsub()}",
        f"【{brand}】会员日到！今天消费享双倍积分，满{R.randint(1, 3)}00元再送{R.randint(10, 30)}元券。{unsub()}",
        f"【{brand}】送您{R.randint(5, 50)}元无门槛券{R.randint(1, 3)}张，已放入您的账户，{md()}前有效。{unsub()}",
        f"亲爱的{brand}会员，您本月还有{R.randint(1, 4)}张优惠券未使用，打开App即可领取。{unsub()}",
    )


def property_():
    lp = pick("滨江壹号", "中央公园", "翡翠湾", "云境", "天悦府", "御景台", "锦绣江南", "未来城", "观澜府")
    c = city()
    return pick(
        f"【{lp}】{c}地铁口精装现房，首付{R.randint(10, 60)}万起，{R.randint(89, 143)}㎡三房，周末到访送{pick('粮油', '家电', '物业费')}，咨询{mobile()}。{unsub()}",
        f"{lp}{pick('加推', '清盘', '特价房')}：单价{R.randint(8000, 45000)}元/㎡起，{pick('学区房', '准现房', '湖景房')}，即买即住，热线{landline(c)}。{unsub()}",
        f"【{lp}】国庆购房节，买房送车位，限时{R.randint(3, 7)}天，欢迎来售楼处品鉴。{unsub()}",
        f"【{lp}】尊敬的客户您好！{c}{pick('新区', '主城区', '高铁新城')}核心地段，{pick('双地铁', '名校旁', '公园旁')}，"
        f"{R.randint(90, 140)}-{R.randint(141, 180)}㎡品质住宅，首付{R.randint(2, 3)}成，{md()}前认购享{R.randint(95, 99)}折，"
        f"到访即送{pick('精美礼品', '粮油一桶', '电影票两张')}，样板间已开放，预约热线{landline(c)}。{unsub()}",
        f"{c}{pick('二手房', '商铺', '公寓')}急售，{R.randint(50, 200)}平，业主出国低于市价{R.randint(10, 40)}万，看房联系{surname()}经理{mobile()}。{unsub(0.5)}",
    )


def home_decor():
    co = pick("业之峰装饰", "东易日盛", "金螳螂家", "生活家装饰", "欧派家居", "索菲亚", "红星美凯龙", "居然之家")
    return pick(
        f"【{co}】{R.randint(89, 149)}平米全包装修{R.randint(5, 15)}万起，免费量房设计，本月签约送全屋家电。{unsub()}",
        f"【{co}】{pick('全屋定制', '厨房橱柜', '卫浴套装', '木门地板')}{pick('工厂价', '一口价', '限时特价')}，到店即送{pick('拖把', '电饭煲', '抽纸')}，地址{R.choice(DISTRICTS)}区建材城。{unsub()}",
        f"您好，{R.choice(COMMUNITIES)}业主专享：{co}样板间征集，前{R.randint(5, 20)}户享半价设计，电话{mobile()}。{unsub()}",
        f"【{co}】家装节{R.randint(1, 6)}月{R.randint(1, 14)}日-{R.randint(7, 12)}月{R.randint(15, 28)}日，满{R.randint(1, 5)}万减{R.randint(1, 5)}千，还可分期0利息，详情{shortlink()} {unsub()}",
    )


def education():
    org = pick("新东方", "学而思", "优才教育", "博学堂", "启航考研", "中公教育", "华图教育", "小天鹅舞蹈", "星辰美术",
               "英孚英语", "乐博机器人")
    return pick(
        f"【{org}】{pick('暑假班', '寒假班', '秋季班', '周末班')}火热报名中，{pick('数学', '英语', '物理', '作文', '编程')}小班教学，报名即送{R.randint(2, 6)}节体验课！咨询{mobile()}。{unsub()}",
        f"【{org}】{pick('考研', '公考', '教资', '会计', '二建')}冲刺班限时优惠，原价{R.randint(3, 9)}980元现{R.randint(1, 2)}980元，不过退费，{shortlink()} {unsub()}",
        f"{org}家长开放日：{md()}{clock()}，{R.randint(3, 12)}岁孩子免费试听，到场送书包。地址{city()}{R.choice(DISTRICTS)}区{R.choice(COMMUNITIES)}旁。{unsub()}",
        f"【{org}】孩子成绩上不去？一对一辅导，名师提分，首月{R.randint(6, 9)}折。{unsub()}",
        f"【{org}】家长您好！{pick('新学期', '暑假', '寒假')}{pick('数学思维', '英语口语', '少儿编程', '书法', '围棋')}课程开始报名，"
        f"{R.randint(6, 12)}人小班，{pick('名校老师授课', '一课一练', '课后有作业批改')}，{md()}前报名享早鸟价{R.randint(6, 9)}折，"
        f"两人同行再减{R.randint(1, 3)}00元，免费试听请回复1或致电{mobile()}。{unsub()}",
    )


def beauty():
    shop = pick("丝域养发", "美丽田园", "韩式皮肤管理", "伊美尔", "悦容美甲", "千色美容", "名媛汇", "小仙女美睫")
    return pick(
        f"【{shop}】{pick('女神节', '周年庆', '夏日焕新', '会员答谢')}，{pick('补水', '祛痘', '光子嫩肤', '头皮护理', '美甲')}体验价{R.randint(19, 199)}元，名额有限，预约{mobile()}。{unsub()}",
        f"【{shop}】亲爱的，好久没来啦～本月到店护理送{pick('面膜', '手部护理', '精华小样')}，老客户带新客户各减{R.randint(50, 200)}元。{unsub()}",
        f"{shop}新店开业，全场项目{R.randint(3, 7)}.8折，充{R.randint(1, 5)}000送{R.randint(3, 15)}00，地址{R.choice(COMMUNITIES)}商业街。{unsub()}",
    )


def dining():
    shop = pick("海底捞", "西贝", "外婆家", "太二酸菜鱼", "呷哺呷哺", "必胜客", "绿茶餐厅", "老乡鸡", "湘约小馆",
                "蜀大侠火锅", "喜家德")
    return pick(
        f"【{shop}】{pick('周一至周四', '工作日午市', '周末', '本月')}到店用餐享{R.randint(6, 9)}折，{R.randint(2, 4)}人套餐仅{R.randint(99, 299)}元，{md()}前有效。{unsub()}",
        f"【{shop}】亲，送您一张{R.randint(10, 50)}元代金券，已存入您的会员账户，下次到店可直接使用。{unsub()}",
        f"{shop}{R.choice(DISTRICTS)}店盛大开业，前三天全场{R.randint(5, 8)}折，到店再送饮品一份！{unsub()}",
        f"【{shop}】生日快乐！生日当月到店赠送{pick('长寿面', '生日蛋糕', '果盘')}一份，凭会员码领取。{unsub()}",
        f"【{shop}】外卖新品上线，满{R.randint(3, 6)}0减{R.randint(8, 20)}，点这里下单{shortlink()} {unsub()}",
    )


def loan_ad():
    b, hot = bank()
    prod = pick("e贷", "快贷", "闪电贷", "融e借", "信用贷", "薪金贷", "消费贷")
    return pick(
        f"【{b}】尊敬的客户，您已获得{b}{prod}预授信额度最高{R.randint(5, 50)}万元，年化利率{R.randint(3, 5)}.{R.randint(0, 9)}%起，"
        f"随借随还，登录手机银行搜索\"{prod}\"申请。{unsub()}",
        f"【{pick('招联金融', '马上消费', '中邮消费金融', '度小满', '京东金条')}】{name()}您好，您的借款额度已提升至{R.randint(2, 20)}0000元，"
        f"打开App即可查看，借款前请仔细阅读合同。{unsub()}",
        f"【{b}】装修贷/购车贷限时优惠，最长{R.randint(3, 5)}年分期，详询网点或客服{hot}。{unsub()}",
        f"【{b}】经营贷利率下调，个体工商户凭营业执照可线上申请，审批结果以银行审核为准。{unsub()}",
        f"您有一笔{R.randint(2, 20)}万元备用金额度待激活，{pick('日息低至万分之二', '最长可借12期')}，请通过官方App申请，"
        f"不收取任何前期费用。{unsub()}",
    )


def telecom_promo():
    op, hot = pick(("中国移动", "10086"), ("中国联通", "10010"), ("中国电信", "10000"), ("中国广电", "10099"))
    return pick(
        f"【{op}】尊敬的客户，您可办理{R.randint(10, 50)}元{R.randint(10, 100)}GB流量包，回复{pick('KT', 'BL', '1')}办理，当月生效。{unsub()}",
        f"【{op}】宽带提速活动：{R.randint(300, 1000)}M宽带仅需{R.randint(39, 99)}元/月，送{pick('路由器', '机顶盒', '视频会员')}，详询{hot}。{unsub()}",
        f"【{op}】{pick('5G畅享套餐', '亲情网', '副卡')}限时优惠，老用户升级立减{R.randint(10, 30)}元/月，登录{op}App办理。{unsub()}",
        f"【{op}】充{R.randint(1, 3)}00送{R.randint(20, 60)}，{md()}截止，可通过{op}App或营业厅参与。{unsub()}",
    )


# === ham ========================================================================================

def bank_notice():
    b, hot = bank()
    tail = num(4)
    ch = pick("财付通-美团", "支付宝-滴滴出行", "快捷支付-京东", "POS消费", "ATM取款", "网上银行转出", "银联入账",
              "跨行汇款", "财付通-拼多多", "支付宝-饿了么", "手机银行转账", "代扣水电费")
    amt = cents(5, 9000)
    bal = f"{R.randint(100, 99999):,}.{num(2)}"
    return pick(
        f"【{b}】您尾号{tail}的储蓄卡{md0()}{hm()}{ch}支出人民币{amt}元，活期余额{bal}元。",
        f"【{b}】您尾号{tail}卡{md()}{hm()}工资收入(代发工资){R.randint(3000, 25000)}.00元，余额{bal}元。",
        f"【{b}】您账户{tail}于{md0()}{hm()}收到{name()}转账{amt}元，余额{bal}元。",
        f"【{b}】您尾号{tail}的信用卡{R.randint(1, 12)}月账单已出，本期应还{amt}元，最低还款{cents(50, 900)}元，到期还款日{md0()}。如已还款请忽略。",
        f"【{b}】您尾号{tail}信用卡{md()}{hm()}消费{amt}元（{ch.split('-')[-1]}），可用额度{bal}元。",
        f"【{b}】您尾号{tail}的账户于{md0()}{hm()}发生一笔{amt}元网上支付，如非本人操作，请立即致电{hot}。",
        f"【{b}】您尾号{tail}的借记卡将于{R.randint(2025, 2027)}年{R.randint(1, 12)}月到期，请携带身份证到任意网点换卡。本行不会通过短信链接要求您填写卡号和密码。",
        f"【{b}】您的{R.randint(1, 5)}年期定期存款{R.randint(1, 50)}0000.00元已于{md()}到期，已按约定自动转存。",
        f"【{b}】温馨提示：本行工作人员不会以任何理由索要短信验证码，也不存在所谓\"安全账户\"，如有疑问请拨打{hot}。",
        f"【{b}】您尾号{tail}账户{md0()}{hm()}{pick('还款', '自动还款', '转入')}{amt}元，信用卡本期账单已还清。",
        f"【{b}】您尾号{tail}的账户今日已设置转账限额为{R.randint(1, 5)}万元/日，如非本人操作请致电{hot}或到网点处理。",
        f"您尾号{tail}的{b}卡{md()}{hm()}消费{amt}元。",
        f"【{b}】您尾号{tail}卡{md0()}{hm()}{pick('利息', '结息')}收入{cents(0, 90)}元，余额{bal}元。",
        f"【{b}】您已成功办理{pick('手机银行登录', '借记卡挂失', '网银证书更新', '账户信息变更')}，如非本人操作请速拨{hot}。",
        f"微信支付：你已成功向{pick('永辉超市', '中国石化', '美团外卖', '滴滴出行', name())}付款{amt}元，使用{b}储蓄卡({tail})。",
    )


def verification_code():
    svc = pick("支付宝", "微信", "淘宝", "京东", "美团", "12306", "抖音", "拼多多", "滴滴出行", "交管12123",
               "个人所得税", "国家政务服务平台", "网上国网", "中国移动", "饿了么", "小红书", "携程", "哔哩哔哩")
    code = num(pick(4, 6, 6, 6))
    purpose = pick("您正在登录", "您正在修改密码", "您正在绑定银行卡", "您正在进行身份验证", "用于注册", "用于快捷登录",
                   "您正在更换手机号", "用于实名认证")
    n = pick(3, 5, 5, 10, 15, 30)
    b, hot = bank()
    return pick(
        f"【{svc}】验证码{code}，{purpose}，{n}分钟内有效，请勿泄露给他人。",
        f"【{svc}】您的验证码是{code}。工作人员不会向您索要，切勿告知他人。",
        f"{code}（{svc}验证码）。为了您的账户安全，请勿向任何人提供此验证码。",
        f"【{b}】验证码：{code}，您正在进行{pick('网上支付', '手机银行转账', '绑卡', '登录')}，金额{cents(5, 5000)}元。任何人索取验证码均为诈骗，切勿泄露！",
        f"【{svc}】{code}是你的登录验证码，如非本人操作请忽略本短信。",
        f"【{svc}】验证码{code}，{purpose}。验证码提供给他人可能导致账号被盗，请勿转发或泄露。",
        f"【{svc}】您正在申请{pick('注销账号', '解绑手机', '重置支付密码')}，验证码{code}。若非本人操作，请立即修改密码。",
        f"您的{svc}验证码：{code}，{n}分钟内有效。",
        f"【{b}】您正在{pick('网银登录', '开通快捷支付', '修改交易限额')}，验证码{code}，请勿将验证码透露给任何人，包括银行工作人员。{hot}",
    )


def delivery():
    cour = R.choice(CARRIERS)
    comm = R.choice(COMMUNITIES)
    code = pick(f"{R.randint(1, 9)}-{R.randint(1, 6)}-{num(4)}", num(6), f"{R.randint(10, 99)}-{num(4)}", num(8))
    track = pick(f"SF{num(13)}", f"7{num(14)}", f"YT{num(13)}", f"JT{num(13)}", f"JD{num(14)}", f"9{num(12)}")
    return pick(
        f"【菜鸟驿站】您的{cour}包裹已到{comm}{R.randint(1, 30)}号楼菜鸟驿站，请凭取件码{code}于{R.randint(19, 22)}:00前领取。",
        f"【丰巢】您的{cour}快递已存入{comm}{R.randint(1, 12)}号丰巢柜，取件码{num(8)}，超时将收取保管费，请及时取件。",
        f"【{cour}】您的快件{track}已由快递员{surname()}师傅派送，电话{mobile()}，请保持电话畅通。",
        f"【{cour}】您的快件{track}已签收，签收人：{pick('本人', '门卫', '驿站', '快递柜', '家人')}，感谢使用{cour}。",
        f"【京东】您的订单{num(12)}已出库，预计{day()}送达，可在京东App查看物流。",
        f"您好，我是{cour}快递员，您的包裹放{pick('门口', '前台', '快递柜', '物业')}了，有问题打我电话。",
        f"【兔喜生活】{cour}包裹到站，取件码{code}，地址：{comm}南门{pick('便利店', '超市', '快递站')}。",
        f"【中国邮政】您的EMS邮件{num(13)}已到达{city()}处理中心，正在派送途中。",
        f"快递到了，取件码{code}，在{comm}东门驿站，记得去拿。",
        f"【{cour}】您有{R.randint(2, 4)}个包裹在{comm}驿站，取件码{code}等，驿站营业到{R.randint(20, 22)}点。",
        f"【{cour}】您寄往{city()}的快件{track}已揽收，运费{R.randint(8, 30)}元已支付，可在小程序查看轨迹。",
    )


def order_travel():
    c1, c2 = R.sample([c for c, _ in CITIES], 2)
    air = pick("南方航空", "东方航空", "中国国航", "海南航空", "厦门航空", "四川航空")
    return pick(
        f"【12306】订单E{num(9)}，{name()}您已购{md()}{pick('G', 'D', 'K')}{R.randint(1, 999)}次{R.randint(1, 16)}车{R.randint(1, 20)}{pick('A', 'B', 'C', 'D', 'F')}号，"
        f"{c1}站{hm()}开，检票口{pick('A', 'B', '')}{R.randint(1, 30)}。",
        f"【{air}】您的航班{pick('CZ', 'MU', 'CA', 'HU')}{R.randint(1000, 9999)}（{md()}{c1}-{c2}）已值机，座位{R.randint(10, 50)}{pick('A', 'C', 'K')}，"
        f"登机口以机场广播为准。",
        f"【{air}】因天气原因，您乘坐的{md()}{c1}至{c2}航班预计延误，最新起飞时间请以航空公司官方App或机场公告为准，给您带来不便敬请谅解。",
        f"【淘宝】您的退款申请已通过，{cents(10, 900)}元将原路退回，预计1-3个工作日到账，无需其他操作。",
        f"【美团】您的外卖已送达，骑手{surname()}师傅祝您用餐愉快，如有问题可在订单页联系商家。",
        f"【滴滴出行】{surname()}师傅已到达上车点，车牌{pick('京', '沪', '粤', '浙', '川', '苏')}{pick('A', 'B', 'C', 'E')}{alnum(5).upper()}，白色{pick('比亚迪', '大众', '丰田', '吉利')}。",
        f"【携程】您预订的{c2}{pick('全季酒店', '汉庭酒店', '如家酒店', '亚朵酒店')}（{md()}入住，{R.randint(1, 4)}晚）已确认，到店报姓名即可办理。",
        f"【京东】您申请的售后服务单{num(10)}已完成，退款{cents(20, 1500)}元已退回原支付账户，请注意查收。",
        f"【拼多多】您的订单已发货，{R.choice(CARRIERS)}快递，单号{num(12)}，如有问题请在App内联系商家，平台不会要求您加微信或QQ。",
        f"【{air}】尊敬的旅客，您{md()}的航班时刻调整为{hm()}起飞，如需退改可在官方App免费办理，无需缴纳任何费用。",
    )


def appointment():
    c = city()
    hosp = pick(f"{c}市第{pick('一', '二', '三', '四', '五', '六')}人民医院", f"{c}市中医院", f"{c}市妇幼保健院",
                f"{c}大学附属医院", f"{c}市儿童医院")
    dept = pick("心内科", "消化内科", "骨科", "眼科", "皮肤科", "口腔科", "妇科", "儿科", "呼吸内科", "内分泌科")
    school = pick(f"{c}市实验小学", f"{R.choice(DISTRICTS)}区第{pick('一', '二', '三')}中学", f"{R.choice(COMMUNITIES)}幼儿园",
                  f"{c}市育才小学")
    return pick(
        f"【{hosp}】{name()}您好，您已预约{md()}{pick('上午', '下午')}{dept}{surname()}医生门诊，就诊序号{R.randint(1, 60)}，"
        f"请携带身份证或医保卡提前30分钟到{R.randint(1, 9)}楼签到。",
        f"【{hosp}】您预约的{pick('胃镜', '腹部B超', '核磁共振', 'CT', '抽血检查')}在{md()}{hm_day()}，检查前{R.randint(6, 12)}小时请空腹，如需改期请在官方公众号操作。",
        f"【{hosp}】您的检验报告已出，可在医院公众号或自助机查询打印。",
        f"【{hosp}】{name()}您好，您预约的{pick('胃肠镜', '增强CT', '心脏彩超', '手术')}安排在{md()}{hm_day()}，请携带身份证、医保卡和既往病历，"
        f"检查前{R.randint(6, 12)}小时禁食禁水，{pick('需家属陪同', '做完后不能开车')}。如需取消请提前一天通过医院公众号操作。"
        f"本院不会以任何名义要求您向个人账户转账。",
        f"【{school}】各位家长好，{md()}（{pick('周五', '周三', '周六')}）下午{R.randint(2, 4)}点召开家长会，地点{pick('各班教室', '学校礼堂', '多功能厅')}，请准时参加。",
        f"【{school}】明天学校组织体检，请孩子早上空腹到校，带好水杯。",
        f"【{school}】家长您好，本学期{pick('伙食费', '校服费', '保险费')}请通过学校统一缴费平台缴纳，学校不会通过个人微信或私人账户收费，如有疑问请联系班主任。",
        f"{kid()}家长您好，明天{pick('春游', '运动会', '亲子活动', '消防演练')}，请给孩子穿运动鞋，带{pick('午餐', '雨伞', '水和零食')}。",
        f"【{pick('小马口腔', '瑞尔齿科', '爱尔眼科', '美年大健康', '慈铭体检')}】您预约的{md()}{hm_day()}{pick('洗牙', '复查', '验光', '体检')}已确认，如需改约请提前一天致电门店。",
        f"【{c}车管所】您已预约{md()}{pick('上午', '下午')}科目{pick('一', '四')}考试，请携带身份证提前{R.randint(30, 60)}分钟到达考场。",
        f"【{c}政务服务中心】您已预约{md()}{hm_day()}办理{pick('身份证换领', '居住证', '公积金提取', '户口迁移', '营业执照')}业务，请携带相关材料原件准时到{R.randint(1, 3)}楼大厅取号。",
        f"【{pick('途虎养车', '小拉车保', '4S店')}】您的爱车{pick('京', '沪', '粤', '浙')}{pick('A', 'B')}{alnum(5).upper()}保养已完成，费用{cents(200, 2000)}元，可以来提车了。",
        f"各位家长，{pick('周五', '明天')}{clock()}放学，{pick('下周一', '下周二')}正常上课，放假期间注意孩子安全，不要下河游泳。",
    )


def utility():
    c = city()
    p = R.choice(PROVINCES)
    op, hot = pick(("中国移动", "10086"), ("中国联通", "10010"), ("中国电信", "10000"))
    return pick(
        f"【国网{p}电力】尊敬的客户，您户号{num(10)}的{R.randint(1, 12)}月电费{cents(30, 600)}元，当前余额{cents(0, 300)}元，可通过网上国网App或支付宝缴费。",
        f"【{c}水务】您户{num(8)}本期用水{R.randint(3, 30)}吨，水费{cents(10, 150)}元，请于{md()}前缴纳。",
        f"【{c}燃气】尊敬的用户，您的燃气表余额不足{R.randint(10, 50)}元，请及时通过官方公众号或营业厅充值，以免影响使用。",
        f"【{R.choice(COMMUNITIES)}物业】尊敬的业主，{R.randint(1, 20)}栋将于{md()}{clock()}至{R.randint(14, 18)}点停水检修，请提前储水，给您带来不便敬请谅解。",
        f"【{op}】尊敬的客户，您{R.randint(1, 12)}月账单{cents(19, 299)}元已出账，当前余额{cents(0, 200)}元。详询{hot}。",
        f"【{op}】您本月套餐内流量已使用{R.randint(10, 90)}%，剩余{R.randint(1, 30)}.{R.randint(0, 9)}GB，可登录{op}App查询。",
        f"【{op}】温馨提示：您的话费余额已不足{R.randint(5, 20)}元，为避免停机请及时通过{op}App或营业厅充值。",
        f"【{R.choice(COMMUNITIES)}物业】本季度物业费已出，可在物业App或前台缴纳，物业不会通过私人账户收取费用。",
        f"【{op}】您已成功充值{R.randint(3, 20)}0元，当前余额{cents(30, 300)}元，感谢您的使用。",
        f"【{c}热力】供暖季将于{md()}开始，请业主检查家中暖气阀门，如有跑水请拨打热力公司服务热线。",
    )


ADVICE = [
    "公安机关不会通过电话、QQ、微信办案", "公安机关不会通过网络发送通缉令、逮捕令", "没有所谓的\"安全账户\"",
    "任何陌生人要求您共享屏幕、下载会议软件的都是诈骗", "验证码是账户的最后一道防线，不要告诉任何人，包括自称客服、警察的人",
    "医保部门不会打电话通知医保卡冻结，也不会让您按键转人工", "ETC不存在\"二次认证\"，不要点击短信里的陌生链接",
    "征信无法花钱修复，异议申请都是免费的", "不存在\"注销校园贷\"这种业务", "正规贷款放款前不会收取手续费、保证金、解冻金",
    "刷单返利都是诈骗，凡是要先垫付的兼职都不要做", "\"领导\"用新号加你让转账，务必打原来的电话或当面核实",
    "网购退款请在官方App里操作，客服不会让您借钱\"激活退款通道\"", "微信百万保障免费，不会扣费，也不影响征信",
    "接到96110来电请及时接听，那是反诈民警在提醒您", "投资群里\"导师\"带你稳赚不赔，一定是骗局",
    "航班取消改签请通过航空公司官方App办理，不需要验证银行卡", "孩子\"出事\"要钱，先打孩子和老师的电话核实",
    "银行工作人员不会要求您把钱转到其他账户\"验资\"", "陌生人发来的二维码、链接不要扫、不要点",
    "对方自称公检法，要求您保密、不许告诉家人的，一定是诈骗",
]


def advisory():
    c = city()
    if R.random() < 0.45:
        head = pick(f"【{c}公安】", "【国家反诈中心】", f"【{c}市反诈中心】", f"【{c}{R.choice(DISTRICTS)}派出所】",
                    f"【{R.choice(COMMUNITIES)}社区】", f"【{R.choice(BANKS)[0]}】", "反诈提醒：", "@所有人 ",
                    f"【{c}市教育局】")
        lead = pick("", "温馨提示：", "防骗提醒：", "近期电信网络诈骗高发，", "居民朋友们请注意：", "各位家长：",
                    "春节将至，", "请牢记：")
        tips = pick("；", "，", "。").join(R.sample(ADVICE, R.choice([1, 2, 2, 3, 3, 4, 5, 6])))
        end = pick("如遇可疑情况请拨打110或96110。", "陌生来电不轻信，未知链接不点击，个人信息不透露，转账汇款多核实。",
                   "如有疑问请拨打96110咨询。", "请转告家中老人。", "建议下载国家反诈中心App。", "")
        return f"{head}{lead}{tips}。{end}"
    return pick(
        f"【{c}公安】公安机关不会通过电话、网络办案，不会要求转账到安全账户，如遇可疑来电请拨打110或96110。",
        "【国家反诈中心】近期冒充客服退款诈骗高发，任何自称客服要求您共享屏幕、下载会议软件、提供验证码的都是诈骗，请提高警惕。",
        f"【{c}市反诈中心】您好，您近期可能接触到诈骗信息，请勿向陌生账户转账，如有疑问请拨打96110咨询。",
        f"【{c}医保】温馨提示：医保部门不会通过电话通知医保卡冻结，也不会要求您按键转人工或转账，接到此类电话请立即挂断。",
        "【金融监管提示】所谓\"征信修复\"\"注销校园贷\"均为骗局，征信异议申请是免费的，请通过官方渠道办理。",
        f"【{c}税务】{R.randint(2023, 2025)}年度个税汇算请通过个人所得税App办理，谨防仿冒退税短信和链接。",
        f"【{R.choice(COMMUNITIES)}社区】防诈提醒：刷单返利都是诈骗，凡是让你先垫付的兼职都不要做。",
        f"【{pick('学校', c + '市教育局')}】提醒家长：任何以老师名义要求转账缴费的信息，请先电话向班主任本人核实。",
        "【反诈提醒】\"领导\"加你微信让你转账？先打电话或当面核实！陌生来电不轻信，未知链接不点击，个人信息不透露，转账汇款多核实。",
        f"您好，这里是{c}市公安局反诈中心，您刚才接到的电话是诈骗电话，请不要转账，不要下载任何会议软件，也不要把验证码告诉任何人。",
        f"【{c}公安】公安机关不会通过网络发送通缉令、逮捕令，也没有所谓的\"安全账户\"，凡是要求您转账的\"警察\"都是骗子。",
        f"【{c}交警】请通过交管12123App或车管所窗口处理违章，不要点击短信中的陌生链接，ETC不存在\"二次认证\"。",
        f"【{pick('微信安全中心', '支付宝')}】百万保障免费开通、没有到期时间、不会扣费，也不影响征信，谨防冒充客服诈骗。",
        f"【{c}派出所】社区民警提醒：近期冒充\"领导\"\"熟人\"借钱诈骗多发，对方换号、不接电话、让转账给第三方，请务必电话核实。",
        "【12381】您好，您可能正在遭遇诈骗，请勿轻信任何要求转账、共享屏幕或提供验证码的陌生人。此短信无需回复。",
        f"【{c}公安】老人在家接到\"孩子出事要钱\"的电话，先挂断再打孩子原来的号码核实，不要往陌生账户转钱。",
        f"【{R.choice(BANKS)[0]}】反诈提示：本行不会以\"解冻\"\"验资\"\"刷流水\"为由要求您转账，贷款前不会收取任何费用。",
        f"@所有人 {c}公安反诈宣传周，本周六上午在{R.choice(COMMUNITIES)}广场有防诈骗讲座，欢迎大家带家里老人来听。",
    )


def school_notice():
    c = city()
    school = pick(f"{c}市实验小学", f"{R.choice(DISTRICTS)}区第{pick('一', '二', '三')}中学", f"{R.choice(COMMUNITIES)}幼儿园",
                  f"{c}市育才小学", f"{c}市第{pick('八', '十二', '二十')}中学")
    cls = f"{pick('一', '二', '三', '四', '五', '六', '初一', '初二', '高一')}（{R.randint(1, 12)}）班"
    items = [
        f"{day()}下午{R.randint(2, 4)}点召开家长会，请家长准时到{pick('本班教室', '学校礼堂', '多功能厅')}参加",
        f"{pick('本周五', '下周二', '明天')}学校组织体检，请孩子当天早上空腹到校",
        "近期流感高发，孩子如有发热咳嗽请在家休息，并向班主任请假",
        "放学时请在校门外黄线后等候，不要堵在门口",
        f"本学期的{pick('校服费', '保险费', '伙食费', '课后服务费')}统一通过学校缴费平台缴纳，学校和老师不会通过私人微信、QQ收款",
        f"下周一起执行冬季作息时间，下午{R.randint(4, 5)}点{pick('10', '20', '30')}分放学",
        "请督促孩子完成假期作业，开学第一天交给各科老师",
        "学校开展防溺水安全教育，请家长务必看护好孩子",
        "如有人以老师名义要求转账，请先电话向班主任本人核实",
        f"{day()}{pick('春游', '运动会', '研学活动', '消防演练')}，请孩子穿校服、带水杯",
        "期中考试成绩已发到家校通App，请家长登录查看",
        "请家长在今晚九点前在小程序里填写孩子的健康信息",
        f"{day()}停课一天，孩子在家请注意安全",
        "图书馆借的书请在本周内归还",
    ]
    head = pick(f"【{school}】", "各位家长：", f"{cls}家长群 @所有人 ", f"【{school}】{cls}各位家长好，", "家长们好，")
    body = pick("；", "。", "，另外").join(R.sample(items, R.choice([1, 2, 2, 3, 3, 4, 5, 6])))
    end = pick("收到请回复，谢谢配合！", "感谢各位家长的支持！", f"——{surname()}老师", "有问题可以私信我。", "")
    return f"{head}{body}。{end}"


def service_dialogue():
    """Genuine calls and chats that use scam words: refunds, card alerts, police, anti-fraud calls."""
    b, hot = bank()
    plat = pick("淘宝", "京东", "拼多多", "抖音商城", "美团", "唯品会")
    item = R.choice(ITEMS)
    c = city()
    sep = pick("\n", "\n", " ")
    conv = pick(
        [f"我：你好，我买的{item}收到是坏的，能退吗？",
         "客服：亲，非常抱歉，您在订单页点\"申请售后\"，选择退货退款，上传一下照片就可以了。",
         "我：运费谁出？",
         f"客服：运费我们承担，快递员{day()}上门取件。商家收货后1-3个工作日原路退款，不需要您提供银行卡或验证码哦。"],
        [f"{b}：您好，这里是{b}信用卡中心，您尾号{num(4)}的信用卡在{md()}{hm()}有一笔{cents(300, 9000)}元的{pick('境外', '网上', '异地')}消费，请问是您本人操作吗？",
         "我：不是我，我卡一直在身上。",
         f"{b}：好的，已为您临时冻结卡片。您可以在{b}App里查看交易，也可以挂断后拨打卡背面的{hot}核实。我们不会向您索要密码和验证码。"],
        [f"民警：您好，我是{c}市{R.choice(DISTRICTS)}派出所的{surname()}警官，您上周报的{pick('电动车被盗', '手机丢失', '钱包被偷', '车被剐蹭')}的案子有进展了。",
         "我：真的吗？太好了。",
         f"民警：麻烦您{day()}{pick('上午', '下午')}带身份证到所里来一趟，当面确认一下。您要是不放心，可以打110或者所里的值班电话核实。"],
        [f"民警：您好，我是{c}市反诈中心的民警，刚才是不是有人自称{pick('客服', '公安', '医保局')}给您打电话？",
         f"我：是的，说我的{pick('百万保障要关闭', '银行卡涉嫌洗钱', '医保卡要冻结')}，让我下载会议软件。",
         "民警：那是诈骗。请您千万不要转账，不要共享屏幕，已经下载的软件请卸载，验证码也不要告诉任何人。",
         "我：好的，谢谢提醒，我差点就转了。"],
        [f"快递员：您好，{R.choice(CARRIERS)}快递，您的包裹到了，家里有人吗？", "我：不在家，帮我放驿站吧。",
         "快递员：好的，取件码稍后短信发您。"],
        ["我：妈，这个月房租我交了，你别再给我打钱了。", "妈：那你钱够不够用？", "我：够的，昨天发工资了，你和爸自己留着花。",
         "妈：行，天冷了多穿点。"],
        [f"我：{surname()}总，供应商那笔{yuan(20000, 300000, 1000)}的货款今天要付吗？",
         "领导：合同审批单签完了吗？签完就走OA付款流程，我在系统里批，不要私下转账。", "我：好的，我这就提交。"],
        [f"A：能不能借我{R.randint(5, 30)}00块？下个月发工资还你。", "B：行，我微信转你。",
         f"A：谢啦，{R.randint(5, 15)}号一发工资就还。", "B：不急，你先用。"],
        [f"客服：您好，这里是{plat}官方客服，您{md()}反馈的{item}漏发问题已经处理，补发的单号在订单详情里可以看到。",
         "我：好的，需要我做什么吗？",
         f"客服：不需要您做任何操作，也不会收取费用。如有其他问题请在{plat}App内联系在线客服。"],
        [f"我：老师好，{kid()}今天有点发烧，想请一天假。", f"老师：好的，收到，让孩子在家好好休息，作业我{pick('晚上', '明天')}发群里。",
         "我：谢谢老师。"],
        [f"营业厅：您好，这里是{pick('中国移动', '中国联通', '中国电信')}，您预约的宽带安装师傅{day()}{pick('上午', '下午')}上门，请问家里有人吗？",
         "我：有人，上午都在。", "营业厅：好的，师傅出发前会电话联系您，安装不收取额外费用。"],
        [f"物业：{R.choice(COMMUNITIES)}物业您好，您家{R.randint(1, 30)}栋{R.randint(1, 30)}0{R.randint(1, 4)}的物业费还没交，提醒一下。",
         "我：我记得交过了呀？", "物业：可能是系统还没同步，麻烦您在物业App里看一下缴费记录，或者拿着收据来前台核对，我们不收现金转账到个人账户。",
         "我：好，我下班过去一趟。"],
        [f"我：{pick('你好', '您好')}，我的{b}卡被吞了，怎么办？", f"{b}：您好，请问是哪个网点的ATM？",
         f"我：{R.choice(DISTRICTS)}路那个自助银行。", f"{b}：好的，您明天工作时间带身份证到该网点柜台领取就可以，如果有人打电话说帮您取卡让您转账，那是诈骗。"],
        [f"我：王姐，上次团购的{pick('水果', '大米', '牛奶')}一共多少钱？", f"王姐：{R.randint(38, 200)}块，你直接微信转我就行。",
         "我：好的，已转，查收一下。", "王姐：收到啦～"],
    )
    if R.random() < 0.25:
        conv = conv[:R.randint(2, len(conv))]
    elif R.random() < 0.4:
        who = next((x.split("：")[0] for x in conv if not x.startswith(("我：", "A：", "B："))), "对方")
        if who in ("领导", "王姐", "妈", "老师"):
            return sep.join(conv)
        for extra in R.sample(CLOSINGS, R.choice([1, 1, 2])):
            conv = conv + [x.replace("对方：", who + "：") for x in extra]
    return sep.join(conv)


CLOSINGS = [
    ["我：还有个事，你们会不会打电话让我转账或者报验证码？", "对方：不会的，任何这样要求的都是诈骗，请直接挂断，有疑问可以拨打官方客服电话核实。"],
    ["我：好的，我记下了，那我还需要去哪里办手续吗？", "对方：不需要，您什么都不用做，有进展我们会在App里通知您，也可以自己登录查询。"],
    ["我：刚才有人也打电话说是你们这边的，让我下载会议软件。", "对方：那个不是我们，请不要下载，也不要共享屏幕，可以拨打96110咨询。"],
    ["我：谢谢，麻烦了。", "对方：不客气，祝您生活愉快，再见。"],
]


def family_story(call, k, place):
    """A longer family message: a plan, a hospital visit or news about the child, in order."""
    rel = pick("姑姑", "舅舅", "小姨", "奶奶", "外婆", "大伯")
    plans = [
        [f"{day()}我们{pick('回老家', '去' + place)}", f"早上{R.randint(7, 9)}点出发",
         pick("车我昨天已经加满油了", f"高铁票买好了，{pick('G', 'D')}{R.randint(100, 999)}次", "我叫了顺风车"),
         f"路上大概{R.randint(2, 4)}个小时", f"中午在{rel}家吃饭", f"你记得把{pick('给奶奶买的降压药', '孩子的外套', '充电器', '相机')}带上",
         f"晚上{R.randint(7, 9)}点左右到家", "有什么要带的跟我说"],
        [f"{pick('妈', '爸', '奶奶')}今天去医院复查了", f"医生说{pick('恢复得挺好', '指标比上次好多了', '还要再观察一段时间')}",
         f"药开了{pick('一个月', '两周', '三个月')}的", f"一共花了{R.randint(200, 2000)}块，医保报了大半",
         f"{pick('下周三', '月底', '过两周')}还要去抽血", "我请了半天假陪着", "你不用太担心，忙完给家里打个电话"],
        [f"{k}老师今天在群里说{pick('他上课爱说话', '这次单元测验进步很大', '作业有几次没交', '他被选进合唱队了')}",
         "我下午跟老师通了个电话", f"老师说{pick('孩子挺聪明的，就是粗心', '最近状态不错，多鼓励', '在家要多督促一下')}",
         f"周末我们陪他{pick('把错题过一遍', '去图书馆', '练练字', '去打球')}", "你晚上回来也跟他聊聊，别光批评"],
        [f"{pick('物业', '社区')}通知{day()}{pick('停水', '停电', '查燃气')}", f"从{clock()}到{R.randint(14, 18)}点",
         "我已经接了两桶水", "冰箱里的东西今天先吃掉", f"你下班顺路买点{pick('面包', '矿泉水', '蜡烛')}", "要是早回来了就去你妈那边待会儿"],
    ]
    steps = R.choice(plans)
    keep = sorted(R.sample(range(len(steps)), R.randint(max(3, len(steps) - 3), len(steps))))
    body = cat([steps[i] for i in keep], (pick("，", "，", "。", " "),))
    return tail(f"{call + '，' if call else ''}{body}", "。", "。", "～", "", "！")


def family_chat():
    call = pick("妈", "爸", "老婆", "老公", "宝贝", "闺女", "儿子", "姐", "哥", "", "", "")
    k = kid()
    dish = pick("排骨", "红烧肉", "鱼", "饺子", "酸菜鱼", "鸡汤", "番茄炒蛋", "包子", "火锅")
    place = pick("植物园", "动物园", "郊野公园", "科技馆", "外婆家", "奶奶家", "湿地公园", "海边", "游乐场")
    if R.random() < 0.3:
        return family_story(call, k, place)
    lines = [
        f"晚上回来吃饭吗？我炖了{dish}",
        "今晚我加班，你们先吃别等我",
        f"周末回家吃饭吧，想吃你做的{dish}了",
        f"今天你去接{k}吧，我{pick('要开会', '在医院排队', '走不开', '车限号')}",
        f"{k}{R.randint(4, 5)}点半放学，别忘了带{pick('水杯', '外套', '跳绳', '作业本')}",
        f"我到学校门口了，{k}还没出来",
        f"今天要加班到{R.randint(8, 10)}点，晚点回",
        f"周六去{place}玩吧，天气预报说是晴天",
        f"周日带爸妈去{place}，我订了{R.randint(11, 12)}点的饭店",
        f"[图片]看看{k}今天在幼儿园画的画，哈哈",
        "昨天拍的照片我发家庭群里了，你们挑挑",
        "爸的体检报告出来了，血压有点高，医生说要少吃盐",
        "奶奶今天怎么样？吃饭香不香",
        "记得交燃气费，快用完了",
        "出门记得关燃气，钥匙放鞋柜上了",
        f"快递到了帮我拿一下，取件码{R.randint(1, 9)}-{R.randint(1, 6)}-{num(4)}",
        f"妈，这个月生活费转你了，{yuan(500, 3000, 100)}，查收一下",
        "给爸买的按摩椅钱我付过了，你们别再转我了",
        f"我换号了，新号{mobile()}，存一下，微信还是原来那个",
        f"{k}发烧了{R.randint(37, 38)}度{R.randint(5, 9)}，我带他去社区医院看看",
        "下雨了，你带伞没？要不要我去地铁站接你",
        "冰箱里有饺子，饿了自己煮",
        "我买了两张周六的电影票，晚上七点的",
        f"家长群说明天要交{pick('春游费', '班费', '书本费')}{R.randint(30, 200)}元，我已经在学校缴费平台上交了",
        "你把车钥匙放哪了？找半天没找到",
        "刚给你妈打电话了，她说腿好多了",
        f"{k}数学考了{R.randint(85, 100)}分！晚上奖励他吃{pick('披萨', '汉堡', '冰淇淋')}",
        "明早我送孩子，你多睡会儿",
        "超市鸡蛋打折，我买了两盒",
        "下周三是妈生日，礼物我来买，你订个蛋糕",
        "暖气好像不热，我明天给物业打电话",
        "到家了吗？到了回个消息",
        f"我在{pick('菜市场', '超市', '药店')}，要带点什么吗？",
        f"{pick('奶奶', '外婆', '姥姥')}说想{k}了，这周末带他回去一趟吧",
        "洗衣机里的衣服记得晾一下",
        "你上次说的那本书我在网上买了，明天到",
        "老家的房子漏雨了，爸说找人修一下大概要两千，我跟他说钱我们出",
        "今天降温，多穿点",
    ]
    n = pick(1, 1, 1, 2, 2, 3, 4, 5)
    body = cat(R.sample(lines, n), (pick("，", "。", "；", " "),))
    return tail(f"{call + pick('，', '，', ' ', '') if call else ''}{body}", "", "", "～", "！", "哈", "[愉快]", "😊", "。")


def work_chat():
    who = name()
    proj = pick("二期项目", "年度预算", "新品发布", "客户回访", "招标方案", "季度总结", "系统上线", "展会")
    room = pick("3楼小会议室", "大会议室", "A栋501", "腾讯会议", "2号会议室", "老板办公室旁边的会议室")
    lines = [
        f"下午{R.randint(2, 5)}点在{room}开会，讨论{proj}，请准时参加",
        f"{who}，{proj}的材料我发你邮箱了，看一下有没有问题",
        f"报销单在OA系统里提交就行，附上发票，财务审核完{pick('下月', '月底')}统一打款",
        f"群里发的{proj}文件大家下载一下，{pick('周五', '明天下班')}前反馈意见",
        f"客户那边改到{clock()}了，我们提前十分钟到",
        "我今天请假半天，有急事打我电话",
        "打卡机坏了，今天手动在前台登记一下",
        "这个月的工资条发了，在企业微信里看",
        "会议纪要整理好了，放共享盘里了",
        "合同盖章流程走完了，原件在前台",
        f"下周去{city()}出差，机票行政已经订好了，行程单发你了",
        f"付款要走审批流程，你先在系统里提交付款申请，{surname()}总审批完财务才能付",
        f"{proj}的进度表更新了，大家看一下自己负责的部分",
        f"{surname()}经理说明天的会推迟到{pick('周四', '周五', '下周一')}",
        "我把PPT最后一页改了，你再过一遍",
        "今天的周报记得五点前交",
        "打印机没墨了，谁知道行政电话是多少？",
        f"{pick('年会', '团建')}报名截止到{pick('周三', '明天')}，还没填表的抓紧",
        "供应商的发票已经收到了，我这边走付款流程",
        f"新同事{who}今天入职，大家多关照",
        "差旅费的标准在员工手册第三章，超标部分需要提前申请",
        "刚才电话里说的那个数我核对了一下，没问题",
        "我在地铁上，到公司大概九点十分",
        "样品今天下午寄出，单号回头发你",
        "服务器今晚十点维护，提前保存好文件",
        f"{surname()}总让我们把{proj}的方案带上，下午去他办公室汇报，我们一起过去",
        "盖章申请已提交，等法务审完就能用印",
        "明天早会改成线上开，链接在群公告里",
    ]
    if R.random() < 0.3:
        agenda = R.sample(["上月数据复盘", "下阶段排期", "预算调整", "客户反馈", "人员分工", "风险点梳理", "验收标准",
                           "招聘进展", "报销制度说明"], R.randint(2, 4))
        items = "；".join(f"{i + 1}.{a}" for i, a in enumerate(agenda))
        return (f"@所有人 通知：{day()}{clock()}在{room}召开{proj}推进会，议程：{items}。"
                f"{pick('请各组负责人准时参加，带好材料。', '不能参加的提前跟我说。', '会后请把意见整理到共享文档里。')}"
                f"{maybe(pick('会议室投影有点问题，大家自带电脑。', '外地同事走线上会议，链接会前发群里。', '差旅报销照旧走OA，单据月底前交齐。'), 0.5)}")
    n = pick(1, 1, 2, 2, 3, 4)
    return pick("", "", "@所有人 ", f"{who}，", "各位，") + cat(R.sample(lines, n), (pick("，", "。", "；"),)) + pick("", "。", "，谢谢", "，辛苦了", "～")


def friend_chat():
    f = name()
    n1 = R.randint(50, 900)
    if R.random() < 0.15:
        dest = pick("成都", "厦门", "西安", "大理", "青岛", "三亚", "长沙", "杭州")
        fl, ht, tk = R.randint(600, 1800), R.randint(300, 900), R.randint(80, 300)
        steps = [f"{pick('五一', '国庆', '端午', '下个月')}去{dest}的事我算了一下", f"机票来回每人{fl}左右",
                 f"酒店两晚{ht * 2}，两个人一间", f"门票和吃饭估计每人{tk * 2}", f"加起来每人大概{fl + ht + tk * 2}",
                 pick("你先把机票钱转我，我统一订，开发票给你", "各订各的机票，酒店我来订，回头AA", "定下来我就在群里发接龙"),
                 pick("有意见赶紧提哈", f"{f}说他可能去不了", "天气预报说那几天有雨，带把伞")]
        keep = sorted(R.sample(range(len(steps)), R.randint(4, len(steps))))
        return tail(cat([steps[i] for i in keep], (pick("，", "。", "；"),)), "。", "", "～", "哈哈")
    lines = [
        f"上次聚餐的钱我转你了，{n1}块，查收一下",
        "房租我明天交，今天工资还没到",
        f"KTV那天一共{n1 * 3}，AA下来每人{n1}",
        f"借你的{n1}块下周还你啊",
        f"你借我的那{n1}不急，有了再说",
        "红包收到了，谢啦",
        f"周末约不约{pick('羽毛球', '爬山', '火锅', '剧本杀', '看电影', '骑行')}？",
        f"电影票我买好了，{pick('周六', '今晚', '明晚')}{R.randint(6, 9)}点的，在{pick('万达', '大地', 'CGV')}",
        f"你那本《{pick('三体', '活着', '百年孤独', '平凡的世界', '人类简史')}》看完了没，借我看看",
        f"生日快乐{pick('！', '呀', '～')}今年也要开开心心",
        "我到了，你在哪个门？",
        "刚看到消息，在开会，等会回你",
        f"明天{pick('搬家', '装空调', '看房')}，你有空来帮个忙不？请你吃饭",
        "你推荐的那家店真不错，下次一起去",
        f"机票我帮你订好了，{yuan(400, 1500, 10)}，你回头转我就行",
        "奶茶钱我转你了，别客气",
        f"婚礼定在{md()}了，到时候一定要来啊",
        "帮我看看这件衣服好看吗？[图片]",
        f"{f}说他也来，到时候我们三个一起",
        "下班了吗？楼下吃个饭",
        f"打车回来的车费{R.randint(20, 90)}，我们俩一人一半",
        "上次你垫的水电费我刚转你了",
        "我手机快没电了，到了给你打电话",
        "好久没见了，最近忙啥呢",
        f"群里说{pick('同学聚会', '校友会')}定在{md()}，你去不去？",
        f"你的充电器落我车上了，明天{pick('上班', '路过')}给你带过去",
        "今天那个面试感觉还行，等通知",
        "刚才是不是打我电话了？没接到",
    ]
    n = pick(1, 1, 1, 2, 2, 3, 4)
    return tail(cat(R.sample(lines, n), (pick("，", "。", "！", " "),)), "", "", "哈哈", "～", "[呲牙]", "😂", "！", "。")


SHORT = ["好的", "收到", "马上到", "在路上了", "吃了吗", "晚安", "到家了", "几点了", "等我一下", "下楼了", "开会中",
         "稍等", "明天见", "知道了", "没问题", "谢谢啦", "在忙，晚点说", "我也是", "可以的", "你到哪了", "快到了",
         "堵车了", "不用了", "好滴", "辛苦了", "出发了吗", "我在门口", "今天不回来吃", "你先睡", "车停好了",
         "已经交了", "钱收到了", "转你了", "发我一下", "文件收到", "我看看", "有空吗", "早上好", "路上注意安全",
         "回个电话", "明天几点", "在吗", "刚下班", "想你了", "哈哈哈", "太好了", "我请客", "改天吧", "外卖到了",
         "记得带伞", "钥匙在我这", "我去接你", "好，听你的", "别忘了吃药", "今天好冷", "周末有空吗", "电梯坏了",
         "下来拿快递", "帮我占个座", "我迟到五分钟", "已读", "等下回你", "网断了", "饭做好了", "孩子睡了吗",
         "这个周末加班", "老地方见", "我充好电了", "妈我到学校了", "爸生日快乐", "新年快乐", "中秋快乐",
         "报销批了", "会议取消了", "合同签了", "房租交了", "水费交了吗", "明早七点叫我", "恭喜恭喜"]


def short_chat():
    return (pick("", "", "", "嗯，", "好，", "哦哦，", "行，", "OK，", "哈哈，", "对，") + R.choice(SHORT) +
            pick("", "", "～", "！", "。", "哈", "👌", "[OK]", "😂", "？", "[抱拳]", "呀"))


# === long marketing, long notices, short lures ==================================================
# Real carriers, banks, platforms and shops send long, polite promotional texts, and genuine notices
# are often long and formal too; what makes a scam is the ask (a transfer, a fee first, a code, a
# screen share, a QQ, "you are under investigation"), not the length or the register. These
# generators write long marketing (spam) and long notices (ham) from pools of openings, bodies,
# offers, how-to-join clauses and closings, and short scam lures, so that neither length nor
# formality goes with one label.

STREETS = ["人民路", "解放路", "中山路", "建设大道", "新华路", "长江路", "文化路", "和平大街", "胜利路", "南京路",
           "朝阳路", "学府路", "迎宾大道", "滨河路", "青年路"]
MALLS = ["万达广场", "吾悦广场", "万象城", "龙湖天街", "银泰城", "步行街", "大悦城", "爱琴海购物公园", "宝龙广场"]


def span(sep="至", lo=3, hi=40):
    """Two dates in order, lo..hi days apart: an event's start and end."""
    a = datetime.date(2025, 1, 1) + datetime.timedelta(days=R.randint(0, 364))
    b = a + datetime.timedelta(days=R.randint(lo, hi))
    return f"{a.month}月{a.day}日{sep}{b.month}月{b.day}日"


def fit(build, lo, hi, finish=lambda t: t):
    """Calls `build` (clauses, each ending with its own punctuation, and the indices of those that
    must stay) until the kept clauses, passed through `finish` (sender tag, opt-out), make a text of
    lo..hi characters; optional clauses are dropped at random to fit."""
    t = ""
    for _ in range(80):
        parts, req = build()
        t = finish(cat(select(parts, cap_for(lo, hi), req)))
        if lo <= len(t) <= hi:
            return t
    raise RuntimeError(f"could not fit a text into {lo}..{hi}: {t}")


def some(opts, ks=(1, 2, 2, 3)):
    """One to three different clauses from a pool, in pool order."""
    k = min(R.choice(ks), len(opts))
    return [opts[i] for i in sorted(R.sample(range(len(opts)), k))]


def cap_for(lo, hi):
    """A length cap for one text: most long texts land between 100 and 200 characters, like the long
    scams, with a tail up to `hi`."""
    return R.randint(lo + 10, R.randint(lo + 50, hi - 10))


def tagged(text, tag, p_start=0.45, p_end=0.3):
    """Puts the 【sender】 tag at the start, at the end, or nowhere."""
    x = R.random()
    if x < p_start:
        return f"【{tag}】{text}"
    if x < p_start + p_end:
        return f"{text}【{tag}】"
    return text


def advert(tag, p_start=0.45, p_end=0.3):
    """Finishes a long advert: the 【sender】 tag at the start, at the end or nowhere, and an opt-out
    on about half of them (before a closing tag, as carriers print it)."""
    def finish(text):
        x, u = R.random(), unsub(0.5)
        sp = (" " if text[-1].isascii() and text[-1].isalnum() else pick("", "", " ")) if u else ""
        if x < p_start:
            return f"【{tag}】{text}{sp}{u}"
        if x < p_start + p_end:
            return f"{text}{sp}{u}【{tag}】"
        return f"{text}{sp}{u}"
    return finish


def greeting(who, brand=""):
    thanks = pick(f"感谢您一直以来对{brand}的支持与信任！" if brand else "感谢您一直以来的支持与信任！",
                  f"感谢您长期以来对{brand}的关注与厚爱！" if brand else "感谢您长期以来的关注与厚爱！",
                  "感谢您的一路陪伴！", "")
    return pick(
        f"尊敬的{who}，您好！{thanks}",
        f"尊敬的{who}：您好！{thanks}",
        f"亲爱的{who}，{pick('您好！', '')}{thanks}",
        f"亲爱的{who}们，",
        f"好消息！{pick('好消息！', '')}",
        f"新年快乐！值此新春佳节，{brand or '我们'}恭祝您{pick('阖家幸福、万事如意！', '新春愉快、身体健康！', '龙马精神、财源广进！')}",
        f"{pick('春暖花开', '金秋送爽', '盛夏将至', '岁末将至', '新学期伊始')}，{brand or '我们'}{pick('为您准备了一份专属福利。', '给您送福利啦！', '感恩回馈正式开启！')}",
        f"您好，{pick('打扰您一分钟', '占用您一点时间')}，",
        "",
    )


def carrier_long():
    op, short, hot, app = pick(("中国移动", "移动", "10086", "中国移动App"), ("中国联通", "联通", "10010", "中国联通App"),
                               ("中国电信", "电信", "10000", "中国电信App"), ("中国广电", "广电", "10099", "中国广电App"),
                               ("中国移动", "移动", "10086", "掌上营业厅App"), ("中国联通", "联通", "10010", "掌上营业厅App"))
    c, d = city(), R.choice(DISTRICTS)
    dq = d if d.endswith("区") else d + "区"
    street = R.choice(STREETS)
    sender = pick(op, op, op, f"{c}{short}", f"{short}{d}营业厅", f"{op}{c}分公司", f"{short}{street}合作营业厅",
                  f"{short}授权代理店")
    event = pick("流量嗨翻天", "存费送好礼", "宽带升级季", "家庭团圆季", "5G焕新季", "会员感恩月", "开学季", "年终回馈",
                 "双十一狂欢", "国庆献礼")
    who = pick("用户", "客户", "会员", f"{op}用户", "星级客户", "5G用户", "老朋友")

    def build():
        body = pick(
            f"为回馈广大用户，即日起至{md()}，{op}特别推出“{event}”活动。",
            f"每月{R.choice([8, 15, 18, 28])}日是{op}会员日，当天登录{app}即可参与{pick('抢兑', '领取', '秒杀')}，多重好礼等您来拿。",
            f"您是我们的{pick('三星', '四星', '五星', '在网十年以上的老')}用户，根据您近期的使用情况，特为您推荐以下优惠。",
            "本月您的套餐流量使用较多，为避免超出套餐产生额外费用，我们为您准备了更划算的流量方案。",
            f"{c}{short}{d}营业厅{pick('新店开业', '周年店庆', '门店升级')}，{span()}到店办理业务即享好礼。",
            f"{op}“{event}”活动火热进行中，{pick('老用户专享', '新老用户同享', '线上线下同步')}。",
        )
        offers = [
            f"{R.randint(10, 30)}元即可办理{R.randint(10, 60)}GB国内通用流量包，{pick('办理后立即生效', '次月1日生效')}，{pick('有效期3个月', '连续包月可随时退订', '当月有效')}。",
            f"话费充{R.randint(1, 5)}00元送{R.randint(2, 10)}0元，赠送话费分{R.randint(3, 12)}个月返还到账。",
            f"预存{pick('100', '200', '300', '500', '600')}元话费即送{R.randint(5, 30)}0元话费及{R.randint(5, 30)}GB流量，"
            f"预存款和赠款按月返还，合约期{pick('12', '24')}个月。",
            f"{pick('300', '500', '1000')}M光纤宽带新装低至{R.randint(29, 99)}元/月，免初装费，送{pick('千兆WiFi6路由器', '4K高清机顶盒', '视频会员年卡')}，"
            f"{pick('老用户续约享8折', '可与手机套餐融合办理', '装机师傅24小时内上门')}。",
            f"合约购机：{pick('华为', '小米', 'OPPO', 'vivo', '荣耀', '苹果')}{pick('新款5G手机', '旗舰机型', '折叠屏手机', '老人机')}最高直降{R.randint(3, 15)}00元，"
            f"承诺月消费{R.randint(59, 199)}元满{pick('12', '24')}个月即可参与，到店还可免费贴膜。",
            f"您当前积分{R.randint(800, 30000)}分，可在{app}「积分商城」兑换话费、流量、视频会员或生活好礼，也可发送JF到{hot}查询积分。",
            f"视频彩铃{pick('限时免费体验30天', '首月免费')}，{R.randint(10, 50)}万首热门歌曲和短视频任您选，到期后{pick('不自动续订', '每月5元，可随时取消')}。",
            f"5G{pick('畅享', '智享', '尊享')}套餐{R.randint(10, 30)}9元档含{R.randint(30, 200)}GB流量、{R.randint(3, 15)}00分钟通话，"
            f"老用户升档立减{R.randint(10, 40)}元/月，还可加装{R.randint(1, 3)}张副卡共享流量。",
            f"{pick('亲情网', '家庭共享包')}免费开通，家人之间本地通话不限时，最多可添加{R.randint(4, 9)}位成员。",
            f"会员日当天可免费领取{R.randint(1, 10)}GB流量或{pick('视频会员月卡', '音乐会员月卡', '5元话费券')}，每人限领一次。",
            f"新入网用户选{R.randint(3, 9)}9元及以上套餐，{pick('首月免月租', '前三个月半价', '送200分钟国内通话')}。",
        ]
        o = some(offers, (1, 2, 2, 3, 3, 4))
        when = pick(f"活动时间：{span()}。", f"活动截至{md()}，", f"本活动{pick('仅限本月', '限时一周', '持续到年底')}。", "", "")
        note = pick("温馨提示：办理成功后您将收到短信确认，套餐变更次月1日生效。", "本活动不与其他优惠同享，每位用户限参与一次。",
                    "赠送的流量和话费不可转赠、不可提现。", "如您已办理，请忽略本短信。",
                    "老年用户可到营业厅享受“爱心通道”优先办理。", f"办理前可发送CXTC到{hot}查询当前套餐。", "", "")
        join = pick(
            f"回复“{pick('1', '2', '3', 'KT', 'BL', 'Y')}”即可办理，回复“{pick('0', 'CX', 'XQ')}”查询活动详情。",
            f"回复数字{R.randint(1, 9)}办理，当月生效。",
            f"办理请登录{app}首页「{pick('会员日', '福利专区', '优惠专区', '充值缴费', '宽带办理')}」，或拨打{hot}咨询。",
            f"详情可拨打{hot}咨询，或前往就近{op}营业厅办理。",
            f"欢迎您携带身份证到{c}{dq}{street}营业厅办理，营业时间{pick('8:30-18:00', '9:00-21:00', '9:00-18:30')}。",
            f"点击{shortlink()} 进入活动页查看。",
            f"登录{app}搜索“{event}”即可参与。",
        )
        close = pick("活动名额有限，先到先得！", "具体规则以活动页面为准。", f"{op}竭诚为您服务！", "祝您生活愉快！",
                     "感谢您的支持，祝您工作顺利、身体健康！", "资费详情以营业厅公示为准。", "", "")
        if "即日起" in body:
            when = ""
        return [greeting(who, op), body, when] + o + [note, join, close], (1, 3, 4 + len(o))

    return fit(build, 90, 280, advert(sender))


def platform_long():
    kind = pick("video", "takeout", "ecommerce", "club", "game", "reading", "bank_card", "wealth", "insurance", "travel")
    if kind == "video":
        brand = pick("腾讯视频", "爱奇艺", "优酷", "芒果TV", "哔哩哔哩", "咪咕视频")
        who = pick("VIP会员", "用户", "会员")
        body = [f"热播剧《{pick('长风渡', '星河远航', '山河故人', '春日来信', '追光者')}》{pick('全集已更新', '今晚8点独播', '会员抢先看大结局')}，更有{R.randint(10, 60)}部新片同步上线。",
                f"{pick('年中', '周年庆', '暑期', '双十二')}会员节正式开启，{md()}前开通年卡享全年最低价。"]
        offers = [f"连续包年仅需{R.randint(148, 228)}元，折合每月不到{R.randint(13, 19)}元。",
                  f"开通即送{pick('外卖红包', '音乐会员月卡', '网盘会员7天', '电影票代金券')}一份。",
                  f"老会员续费立减{R.randint(10, 50)}元，还可加{R.randint(5, 30)}元升级电视端会员。",
                  "每天签到可领成长值，会员等级越高观影特权越多。"]
        join = [f"打开{brand}App，进入「我的-VIP会员」即可开通，自动续费可随时在设置中关闭。",
                f"点击{shortlink()} 立即开通。"]
    elif kind == "takeout":
        brand = pick("美团外卖", "饿了么", "美团", "淘宝闪购", "京东秒送")
        who = pick("用户", "吃货", "朋友")
        body = [f"{pick('周末', '下午茶时间', '降温了', '夜宵时间')}到了，吃点好的犒劳一下自己吧！",
                f"{pick('夏日冰饮节', '火锅季', '年货节', '早餐节')}火热进行中，{R.randint(3, 20)}万家商户参与。"]
        offers = [f"{R.randint(2, 6)}张大额红包已放入您的账户，最高满{R.randint(30, 60)}减{R.randint(10, 25)}，{md()}前有效。",
                  f"开通会员每月可领{R.randint(4, 8)}张{R.randint(3, 6)}元无门槛红包，首月仅需{R.randint(1, 9)}.9元。",
                  f"指定品牌{pick('奶茶', '炸鸡', '咖啡', '汉堡', '麻辣烫')}第二份半价，配送费低至0元。",
                  f"每天{pick('11点', '17点', '21点')}准点抢神券，手慢无。"]
        join = [f"打开{brand}App「我的-红包卡券」即可查看。", f"戳{shortlink()} 领取。", "下单时系统自动抵扣，无需额外操作。"]
    elif kind == "ecommerce":
        brand = pick("京东", "天猫", "淘宝", "拼多多", "唯品会", "苏宁易购", "抖音商城")
        who = pick("用户", "PLUS会员", "88VIP会员", "顾客", "会员")
        ev = pick("618年中购物节", "双11全球狂欢节", "年货节", "开学季", "38女王节", "周年庆")
        body = [f"{ev}{pick('正式开启', '即将开启', '进入最后48小时')}，家电、数码、美妆、食品等品类{pick('全场低价', '爆款直降', '百亿补贴')}。",
                f"您加入购物车的{R.choice(ITEMS)}{pick('已降价', '正在参加活动', '库存紧张')}，现在下单更划算。"]
        offers = [f"跨店每满{R.randint(2, 3)}00减{R.randint(3, 5)}0，可与品类券叠加使用。",
                  f"{md()}0点起限时{R.randint(2, 4)}小时，前{R.randint(1, 5)}000名付款享半价。",
                  f"会员专享{R.randint(8, 9)}.{R.randint(0, 9)}折，另送运费券{R.randint(2, 6)}张。",
                  f"{pick('以旧换新', '分期免息', '价保30天')}服务全程护航，买贵了可申请价保。"]
        join = [f"打开{brand}App搜索“{ev}”即可参与。", f"活动详情：{shortlink()}", f"登录{brand}App首页会场查看。"]
    elif kind == "club":
        brand = pick("山姆会员商店", "Costco", "盒马", "星巴克", "迪卡侬", "宜家家居", "屈臣氏", "万达影城")
        who = pick("会员", "会员朋友", "顾客")
        body = [f"{city()}{pick('店', '门店')}{pick('周年庆', '会员感恩周', '新品品鉴会')}将于{md()}举行，现场还有{pick('试吃', '亲子手工', '新品体验')}活动。",
                f"会员俱乐部本月积分{pick('翻倍', '加速')}，{pick('消费满额', '邀请好友', '每日签到')}均可累计积分。"]
        offers = [f"每日签到满{R.randint(5, 10)}天可参加一次抽奖，奖品有{pick('购物卡', '咖啡券', '保温杯', '电影票')}等，100%中奖，奖品直接发放到会员账户，不收取任何费用。",
                  f"会员续卡享{R.randint(8, 9)}折，并赠送{pick('免费洗车', '生日礼', '停车券', '饮品券')}。",
                  f"积分可1:1抵扣现金，{md()}前兑换再送{R.randint(5, 20)}元券。",
                  f"推荐好友入会，双方各得{R.randint(20, 100)}积分。"]
        join = [f"详情请打开{brand}App或小程序查看。", "欢迎到店咨询服务台。", f"活动规则见{shortlink()}"]
    elif kind == "game":
        game = pick("山海仙途", "星际远征", "江湖夜雨", "萌宠大作战", "王者之心", "梦幻西游记", "三国志·群英", "开心消消乐园")
        brand = game
        who = pick("玩家", "指挥官", "少侠", "召唤师", "小伙伴")
        body = [f"全新赛季「{pick('星辰之门', '烈焰归来', '山海经纪', '风起长安')}」将于{md()}开启，新英雄、新地图、新玩法全面上线。",
                f"{pick('周年庆', '春节', '暑期', '国庆')}版本已更新，登录即可参与限时活动。"]
        offers = [f"活动期间登录即送{R.randint(10, 30)}连抽，连续签到{R.randint(5, 7)}天领取限定皮肤。",
                  f"回归玩家可领取回归礼包，内含钻石×{R.randint(300, 1000)}和经验卡。",
                  f"每日完成任务可参与免费转盘抽奖，最高得{pick('传说皮肤', '限定坐骑', '游戏周边')}。",
                  "未成年人游戏时间请遵守国家相关规定，合理安排游戏时间。"]
        join = ["更新游戏至最新版本即可参与。", f"前往官方社区了解更多：{shortlink()}", "打开游戏点击「活动」页查看详情。"]
    elif kind == "reading":
        brand = pick("掌阅", "起点读书", "微信读书", "番茄小说", "QQ阅读", "喜马拉雅", "得到")
        who = pick("书友", "读者", "用户", "会员")
        book = pick("凡人修仙录", "大江东去", "星海旅人", "长安小吏", "重生之我在县城", "三体", "人间烟火")
        body = [f"您收藏的《{book}》已更新至第{R.randint(200, 2000)}章，{pick('精彩不断', '主角终于出手了', '大结局倒计时')}。",
                f"{pick('世界读书日', '年度阅读节', '暑期阅读季')}来啦，{R.randint(1, 5)}万本好书限时免费读。"]
        offers = [f"开通年卡立减{R.randint(20, 80)}元，新用户首月仅{R.randint(1, 6)}元。",
                  f"每日读满{R.randint(10, 30)}分钟可领书币，书币可兑换付费章节。",
                  f"邀请好友一起读书，双方各得{R.randint(3, 15)}天会员。",
                  f"有声书专区{pick('上新', '会员免费听')}，通勤路上也能听书。"]
        join = [f"打开{brand}App即可查看。", f"点击{shortlink()} 继续阅读。", "书架页顶部即可领取。"]
    elif kind == "bank_card":
        b, hot = bank()
        brand = b
        who = pick("客户", "持卡人", "信用卡客户", "贵宾客户")
        body = [f"即日起至{md()}，本行信用卡推出{pick('账单分期', '现金分期', '消费分期', '汽车分期')}优惠活动。",
                f"本行{pick('白金卡', '联名信用卡', '青春卡', '车主卡')}{pick('全新上线', '限时免年费', '权益升级')}。"]
        offers = [f"办理{pick('3', '6', '12', '24')}期分期可享手续费{R.randint(5, 8)}折优惠，具体费率以申请页面为准。",
                  f"周{pick('三', '五', '六')}在指定{pick('超市', '加油站', '餐饮商户')}刷卡满{R.randint(50, 200)}元立减{R.randint(5, 30)}元。",
                  f"新户首刷满{R.randint(1, 5)}00元可获{pick('行李箱', '电饭煲', '500积分', '视频会员年卡')}一份。",
                  f"积分可兑换里程、话费及商城好礼，{md()}前兑换享{R.randint(7, 9)}折。"]
        join = [f"详情请登录{b}手机银行或信用卡App查询，或拨打{hot}咨询。", "详询本行各营业网点。", f"了解更多请拨打客服热线{hot}。"]
    elif kind == "wealth":
        b, hot = bank()
        brand = b
        who = pick("客户", "贵宾客户", "理财客户")
        body = [f"本行{pick('新发行', '近期在售', '本周开放申购')}{R.randint(3, 12) * 30}天期{pick('稳健型', '固收类', '低波动')}理财产品，业绩比较基准{R.randint(2, 3)}.{R.randint(0, 9)}%-{R.randint(3, 4)}.{R.randint(0, 9)}%（年化）。",
                f"{pick('大额存单', '储蓄国债', '养老理财', '定期存款')}{pick('额度有限', '本月发行', '限时起存')}，{pick('1', '5', '20')}万元起购。"]
        offers = ["理财非存款，产品有风险，投资须谨慎，过往业绩不代表未来表现。",
                  f"{md()}前购买可参加{pick('积分加倍', '到店礼', '理财知识讲座')}活动。",
                  "购买前请认真阅读产品说明书和风险揭示书，本行将对您进行风险承受能力评估。"]
        join = ["详询网点理财经理。", f"详询本行各营业网点或致电{hot}。", f"可到{city()}各网点咨询，也可登录{b}手机银行查看。"]
    elif kind == "insurance":
        brand = pick("中国平安", "中国人寿", "太平洋保险", "泰康保险", "新华保险", "人保财险", "众安保险")
        who = pick("客户", "朋友", "车主", "家长")
        body = [f"{pick('暑期出行', '春节返乡', '开学季', '冬季出行')}高峰将至，{brand}为您准备了{pick('出行意外险', '学平险', '百万医疗险', '家财险', '驾乘意外险')}。",
                f"您的{pick('车险', '意外险')}即将进入续保期，{brand}特别推出{pick('老客户回馈', '续保礼遇', '家庭保障升级')}活动。"]
        offers = [f"保费低至{R.randint(1, 9)}元/天，保障涵盖意外医疗、住院津贴等。",
                  f"续保可享{pick('赠送道路救援', '免费洗车3次', '年度体检一次', '积分兑换好礼')}。",
                  "投保前请仔细阅读保险条款及免责说明，具体保障以保险合同为准。",
                  f"全家一起投保再享{R.randint(5, 9)}折优惠。"]
        join = [f"可通过{brand}官方App或微信公众号投保，或联系您的专属保险顾问。", f"详情请到{brand}营业网点咨询。", f"了解详情请拨打{brand}官方客服热线。"]
    else:
        brand = pick("携程旅行", "飞猪", "去哪儿", "同程旅行", "高德地图", "滴滴出行", "华住会", "锦江酒店")
        who = pick("会员", "用户", "旅客")
        body = [f"{pick('五一', '暑期', '国庆', '春节')}出游季{pick('开启', '来了')}，{R.choice(CITIES)[0]}、{R.choice(CITIES)[0]}等热门目的地酒店低至{R.randint(5, 8)}折。",
                f"您的会员等级已升至{pick('金卡', '铂金', '钻石')}，专享权益已生效。"]
        offers = [f"机票+酒店组合预订立减{R.randint(50, 300)}元。",
                  f"打车券包{R.randint(5, 20)}元起，每月可领{R.randint(4, 10)}张。",
                  f"会员入住享延迟退房至{R.randint(13, 14)}点和免费早餐。",
                  f"{md()}前完成{R.randint(1, 3)}次行程可参加免费抽奖，奖品为{pick('免费房晚', '机票代金券', '行李箱')}，中奖后自动发放。"]
        join = [f"打开{brand}App「会员中心」查看。", f"立即预订：{shortlink()}", f"登录{brand}App搜索“{pick('出游季', '会员日')}”。"]

    def build():
        o = some(offers, (1, 2, 2, 3, 3, 4))
        when = pick(f"活动时间：{span()}。", f"{md()}{pick('0点', '10点', '20点')}准时开始。", "", "")
        note = (pick("具体以产品说明和合同条款为准。", "本短信不构成任何承诺。", "", "") if kind in ("bank_card", "wealth", "insurance") else
                pick("优惠券不可叠加、不可提现，部分商品除外，详见活动规则。", "如有疑问可联系App内在线客服。",
                     "请以App内页面展示为准。", "活动期间如遇问题可在「帮助中心」查看。", "", ""))
        b = some(body, (1,) if kind == "insurance" else (1, 2, 2))
        if any("即日起" in x for x in b):
            when = ""
        return ([greeting(who, brand)] + b + [when] + o +
                [note, R.choice(join), pick("祝您生活愉快！", "期待您的参与！", "更多惊喜等您发现！", "活动最终解释权依法归主办方所有。", "", "")],
                (1, 2 + len(b), 3 + len(b) + len(o)))

    return fit(build, 90, 280, advert(brand))


def local_long():
    kind = pick("gym", "beauty", "sauna", "decor", "estate", "training", "opening", "jewelry")
    c, d = city(), R.choice(DISTRICTS)
    dq = d if d.endswith("区") else d + "区"
    where = pick(f"{c}{dq}{R.choice(STREETS)}{R.randint(1, 300)}号", f"{R.choice(MALLS)}{R.randint(1, 5)}楼",
                 f"{R.choice(COMMUNITIES)}北门", f"{dq}{R.choice(MALLS)}对面", f"{R.choice(STREETS)}与{R.choice(STREETS)}交叉口")
    tel = pick(mobile(), landline(c), f"{landline(c)}、{mobile()}")
    if kind == "gym":
        brand = pick("动力源健身", "超级猩猩", "乐刻运动", "威尔士健身", "型动力健身工作室", "燃力瑜伽")
        body = [f"{pick('夏天', '新年', '开春')}到了，你的健身计划开始了吗？{brand}{where}店{pick('全新开业', '升级改造完成', '周年庆')}！",
                f"{pick('告别拖延', '减脂塑形', '练出好身材')}就从现在开始，{brand}{pick('器械区全面升级', '新增团操课', '引进进口器械')}，环境干净宽敞。"]
        offers = [f"开业期间年卡仅需{R.randint(9, 29)}99元，{pick('送私教课2节', '送体测一次', '送运动手环')}。",
                  f"{R.randint(9, 99)}元体验周卡，{pick('瑜伽', '动感单车', '搏击操', '普拉提')}等团课随便上。",
                  f"两人同行办卡各减{R.randint(2, 5)}00元，学生凭学生证再享9折。",
                  "持卡会员可免费使用淋浴、储物柜和停车位。"]
    elif kind == "beauty":
        brand = pick("丝域养发", "美丽田园", "悦容美甲", "千色美容", "小仙女美睫", "颜究所皮肤管理")
        body = [f"好久不见啦～{brand}{pick('周年庆', '女神节', '会员答谢季', '换季护肤节')}正式开始啦！",
                f"换季皮肤{pick('干燥', '敏感', '暗沉')}怎么办？{brand}资深美容师为您量身定制护理方案。"]
        offers = [f"{pick('补水', '祛痘', '光子嫩肤', '头皮护理', '美甲美睫')}体验价{R.randint(19, 199)}元，每人限{R.randint(1, 2)}次。",
                  f"充{R.randint(1, 5)}000送{R.randint(2, 15)}00，老客户带新客户各减{R.randint(50, 200)}元。",
                  f"到店即送{pick('面膜一盒', '精华小样', '手部护理一次')}。",
                  "所有产品均可查验正规批文，护理过程不推销。"]
    elif kind == "sauna":
        brand = pick("御泉汗蒸养生馆", "韩式汗蒸会所", "康乐足道", "水云间洗浴中心", "暖阳汗蒸")
        body = [f"天冷了，来{brand}暖暖身子吧！{pick('玉石汗蒸房', '黄土汗蒸房', '盐屋')}、{pick('足疗', '推拿', '拔罐')}、自助水果一应俱全。",
                f"{brand}{where}店{pick('盛大开业', '装修升级后重新开放', '迎来十周年店庆')}，环境优雅，干净卫生。"]
        offers = [f"汗蒸+自助餐仅需{R.randint(39, 99)}元/位，1米2以下儿童免费。",
                  f"办理会员卡充{R.randint(5, 20)}00送{R.randint(2, 8)}00，生日当天免费汗蒸一次。",
                  f"{pick('工作日', '周一至周四')}下午{R.randint(1, 3)}点前到店享{R.randint(6, 8)}折。",
                  f"凭本短信到店免费赠送{pick('养生茶一壶', '足浴一次', '水果拼盘')}。"]
    elif kind == "decor":
        brand = pick("业之峰装饰", "东易日盛", "生活家装饰", "欧派家居", "索菲亚", "红星美凯龙", "居然之家")
        body = [f"{R.choice(COMMUNITIES)}的业主朋友们，新房装修还在犹豫吗？{brand}{pick('家装节', '样板间征集', '工厂直购会')}{md()}开幕！",
                f"装修是大事，{brand}{pick('二十年品质保障', '环保材料全程可追溯', '工地全程直播')}，让您住得放心。"]
        offers = [f"{R.randint(89, 149)}平米全包{R.randint(6, 18)}万起，免费上门量房出设计图。",
                  f"签约即送{pick('全屋家电', '智能马桶', '整体橱柜')}，满{R.randint(3, 10)}万再减{R.randint(3, 9)}千。",
                  f"前{R.randint(10, 30)}名报名业主享半价设计费，水电终身保修。",
                  "支持分期付款，合同明码标价，无隐形增项。"]
    elif kind == "estate":
        lp = pick("滨江壹号", "中央公园", "翡翠湾", "云境", "天悦府", "御景台", "锦绣江南", "未来城", "观澜府", "书香名邸")
        brand = lp
        body = [f"{c}{pick('主城', '高铁新城', '滨江', '新区')}{pick('封面力作', '品质人居', '地铁上盖')}{lp}将于{md()}盛大开盘！",
                f"{lp}{pick('二期', '三期', '新品')}{pick('加推', '首开', '认筹进行中')}，{pick('双地铁', '名校旁', '公园旁', '商圈核心')}，配套成熟。"]
        offers = [f"建面约{R.randint(89, 143)}-{R.randint(144, 180)}㎡{pick('三房', '四房', '平层大宅')}，首付{R.randint(2, 3)}成起。",
                  f"开盘当天认购享{R.randint(95, 99)}折，{pick('送车位使用权', '送两年物业费', '送精装礼包')}。",
                  f"到访即送{pick('粮油一桶', '电影票两张', '精美礼品')}，样板间已全面开放。",
                  "预售许可证已公示，欢迎实地看房。"]
    elif kind == "training":
        brand, subject = pick(("新东方", pick("英语口语", "雅思", "考研英语")), ("学而思", pick("数学思维", "语文阅读")),
                              ("优才教育", pick("初中数学", "高中物理", "作文")), ("博学堂", pick("书法", "围棋", "国画")),
                              ("启航考研", pick("考研", "考研政治")), ("中公教育", pick("公考", "教资", "事业单位")),
                              ("星辰美术", pick("少儿美术", "素描")), ("乐博机器人", pick("少儿编程", "机器人搭建")),
                              ("小天鹅舞蹈", pick("中国舞", "拉丁舞", "芭蕾")))
        body = [f"{pick('暑假', '寒假', '新学期', '秋季')}{subject}班开始报名啦！",
                f"{subject}{pick('冲刺班', '全程班', '精品班', '周末班')}{md()}开班，{pick('名师面授', '小班教学', '线上线下同步')}。"]
        offers = [f"{R.randint(6, 12)}人小班，{pick('名校老师授课', '一课一练', '课后作业批改')}，{md()}前报名享早鸟价{R.randint(6, 9)}折。",
                  f"两人同行再减{R.randint(1, 3)}00元，报名即送{R.randint(2, 6)}节体验课。",
                  f"{md()}{clock()}举办免费公开课，家长可陪同试听。",
                  "课程按课时收费，未上课时可按规定退费。"]
    elif kind == "opening":
        brand = pick("湘约小馆", "蜀大侠火锅", "喜家德", "老乡鸡", "外婆家", "渝味江湖", "潮汕牛肉火锅", "东北饺子馆")
        body = [f"好消息！{brand}{where}店将于{md()}盛大开业！",
                f"{dq}的吃货们注意啦！{brand}新店开业，{pick('正宗川味', '地道家常菜', '现切鲜牛肉', '手工现包')}等你来尝。"]
        offers = [f"开业前三天全场{R.randint(5, 8)}.8折，到店再送{pick('饮品一份', '招牌菜一道', '代金券')}。",
                  f"{R.randint(2, 4)}人套餐仅{R.randint(99, 299)}元，{pick('周一至周四', '工作日午市')}再享9折。",
                  f"关注门店公众号成为会员，送{R.randint(10, 50)}元代金券。",
                  "包间可提前预订，支持生日宴、家庭聚会。"]
    else:
        brand = pick("周大福", "老凤祥", "周生生", "中国黄金", "六福珠宝", "潮宏基")
        body = [f"{pick('七夕', '五一', '国庆', '春节', '女神节')}浪漫献礼，{brand}{where}店{pick('黄金节', '周年庆', '婚嫁季')}火热进行中！",
                f"{brand}{pick('新款古法金', '钻石婚戒', '生肖金饰', '儿童长命锁')}{pick('全新上市', '到店', '限量发售')}，款式多样。"]
        offers = [f"黄金饰品每克立减{R.randint(10, 40)}元，工费{pick('全免', '5折')}。",
                  f"钻石镶嵌类满{R.randint(3, 10)}000减{R.randint(3, 10)}00，以旧换新免工费。",
                  f"到店即送{pick('精美首饰盒', '清洗保养一次', '红包一个')}。",
                  "所有商品均附国家权威机构检测证书。"]

    who = {"gym": pick("会员", "朋友", "健身爱好者"), "beauty": pick("顾客", "会员", "朋友"), "sauna": pick("顾客", "会员", "朋友"),
           "decor": pick("业主", "业主朋友", "客户"), "estate": pick("客户", "朋友", "业主"), "training": pick("家长", "学员", "同学"),
           "opening": pick("顾客", "朋友", "邻居", "家人"), "jewelry": pick("顾客", "会员", "朋友")}[kind]

    def build():
        o = some(offers, (1, 2, 2, 3, 3, 4))
        when = pick(f"活动时间：{span('-')}。", f"营业时间：每天{R.randint(8, 10)}:00-{R.randint(21, 23)}:00。",
                    f"活动仅限{pick('本周末', '开业前三天', '本月', '前100名')}。", "", "")
        road = pick(f"地铁{R.randint(1, 9)}号线{R.choice(STREETS)}站{pick('A', 'B', 'C', 'D')}口出步行{R.randint(3, 10)}分钟即到，门口有免费停车位。",
                    f"公交{R.randint(1, 99)}路、{R.randint(100, 400)}路{R.choice(STREETS)}站下车即到。", "店内提供免费停车和儿童游乐区。", "", "")
        note = (pick("具体以售楼处公示为准。", "看房请提前预约，置业顾问全程陪同。", "", "") if kind == "estate" else
                pick("本店承诺明码标价，不强制消费。", "以上优惠不与店内其他活动同享。", "欢迎提前电话预约，到店免排队。",
                     "老顾客凭会员卡再享额外折扣。", "", ""))
        b = some(body, (1,) if kind == "training" else (1, 2, 2))
        return ([greeting(who, brand)] + b + [when] + o +
                [note, pick(f"地址：{where}。", f"详询{tel}。", f"地址：{where}，电话{tel}。", f"预约电话：{tel}。", f"欢迎到{where}咨询。"),
                 road, pick("名额有限，先到先得！", "期待您的光临！", "欢迎新老顾客光临！", "具体活动以门店为准。", "", "")],
                (1, 2 + len(b), 3 + len(b) + len(o)))

    return fit(build, 90, 280, advert(brand, 0.4, 0.25))


def long_notice():
    """A long, formal, genuine notice: it informs and points to the official app, hotline or counter,
    and asks for no transfer, code, screen share or fee."""
    kind = pick("carrier_bill", "carrier_usage", "bank_upgrade", "bank_hours", "bank_rate", "platform_rules",
                "property", "hospital", "school", "community", "gov", "insurance")
    c, d = city(), R.choice(DISTRICTS)
    dq = d if d.endswith("区") else d + "区"
    safety = ""
    if kind in ("carrier_bill", "carrier_usage"):
        op, hot, app = pick(("中国移动", "10086", "中国移动App"), ("中国联通", "10010", "中国联通App"), ("中国电信", "10000", "中国电信App"),
                            ("中国广电", "10099", "中国广电App"))
        tag = op
        head = pick("尊敬的客户，您好！", f"尊敬的{op}用户：", f"{name()}先生/女士，您好！", "尊敬的客户：", "")
        if kind == "carrier_bill":
            main = [f"您{R.randint(1, 12)}月账单已生成：套餐及固定费{R.randint(19, 199)}.00元，语音通信费{cents(0, 30)}元，"
                    f"上网费{cents(0, 50)}元，增值业务费{cents(0, 20)}元，合计{cents(30, 300)}元。",
                    f"当前账户可用余额{cents(0, 200)}元，{pick('已为您自动完成扣费', '请确保余额充足以免影响使用', '本月无欠费')}。",
                    f"本月您共使用通用流量{R.randint(5, 90)}.{R.randint(0, 9)}GB、国内通话{R.randint(20, 900)}分钟，均在套餐范围内。",
                    f"您的{pick('宽带', '融合套餐', '合约')}将于{md()}到期，到期后按标准资费续用，如需变更可提前办理。",
                    f"您本月已获得积分{R.randint(20, 400)}分，累计可用积分{R.randint(500, 20000)}分。"]
            detail = [f"您可登录{app}「账单查询」查看详单，或发送{pick('CXZD', 'ZD', '101')}到{hot}查询。",
                      f"如对账单有疑问，请拨打{hot}或到营业厅咨询。", "电子发票可在App内「发票服务」中开具。"]
        else:
            main = [f"截至{md()}{hm()}，您本月套餐内通用流量已使用{R.randint(10, 90)}.{R.randint(0, 9)}GB，剩余{R.randint(1, 30)}.{R.randint(0, 9)}GB，"
                    f"语音剩余{R.randint(0, 500)}分钟。",
                    f"套餐外流量按{pick('5元/GB', '3元/GB', '套餐规定标准')}计费，当月超出部分将计入下月账单。",
                    f"您的国际漫游功能已{pick('开通', '关闭')}，出境前请确认漫游资费，可在App内查询各国家和地区标准。",
                    f"根据工信部要求，您的号码将于{md()}前完成{pick('实名信息复核', '一证通查核验')}，可持本人身份证到营业厅或在App内办理。"]
            detail = [f"实时用量以{app}查询为准。", f"如需查询可发送CXLL到{hot}。", "本短信为系统自动发送，请勿直接回复。",
                      f"如有疑问请拨打{hot}。"]
        safety = pick(f"{op}不会通过短信链接要求您填写银行卡信息，也不会以积分清零为由索要验证码。", "")
    elif kind.startswith("bank"):
        b, hot = bank()
        tag = b
        head = pick("尊敬的客户：", "尊敬的客户，您好！", f"尊敬的{b}客户：", "")
        if kind == "bank_upgrade":
            main = [f"为提升服务质量，本行将于{md()}{R.randint(0, 2):02d}:00至{R.randint(4, 6):02d}:00进行系统升级维护。",
                    f"期间手机银行、网上银行、{pick('ATM及部分POS交易', '快捷支付及跨行转账', '信用卡还款')}将暂停服务，柜台业务不受影响。",
                    "升级完成后各项服务自动恢复，无需您进行任何操作。",
                    f"升级后手机银行将{pick('优化转账界面', '新增大字版', '支持刷脸登录', '调整首页布局')}，请届时更新至最新版本。"]
        elif kind == "bank_hours":
            main = [f"{c}{d}支行自{md()}起营业时间调整为{pick('周一至周五9:00-17:00', '周一至周日9:00-17:00', '工作日8:30-17:30')}，"
                    f"{pick('周末暂停对公业务', '节假日营业时间另行公告', '午间不休息')}。",
                    f"网点{pick('迁址至', '装修期间临时迁至')}{R.choice(STREETS)}{R.randint(1, 300)}号，自助设备24小时提供服务。",
                    f"{pick('春节', '国庆', '劳动节')}假期期间，本行部分网点正常营业，具体可在手机银行「网点查询」中查看。",
                    "大额取现请提前一个工作日预约。"]
        else:
            main = [f"根据中国人民银行相关规定，本行自{md()}起调整人民币存款挂牌利率，其中一年期定期存款利率调整为1.{R.randint(10, 60)}%。",
                    f"您名下的个人住房贷款将于{md()}按最新贷款市场报价利率（LPR）重新定价，调整后执行利率{R.randint(3, 4)}.{R.randint(0, 9)}{R.randint(0, 9)}%，月供将相应变化。",
                    "已存入的定期存款在存期内仍按原利率计息，不受本次调整影响。",
                    "调整后的还款计划可在手机银行「贷款」页面查看，还款日和还款账户保持不变。"]
        detail = [f"具体以本行官网公告为准，如有疑问请致电{hot}。", f"您可登录{b}手机银行查看详情，或到就近网点咨询。",
                  "请您合理安排业务办理时间。"]
        safety = pick("本行不会以系统升级、利率调整等为由要求您提供密码、验证码或向任何账户转账。", "")
    elif kind == "platform_rules":
        plat = pick("淘宝", "京东", "拼多多", "美团", "微信", "支付宝", "抖音", "小红书", "闲鱼", "哔哩哔哩")
        tag = plat
        head = pick("尊敬的用户：", "亲爱的用户，您好！", "尊敬的用户，您好！", "")
        main = [f"为更好地保障您的合法权益，我们对《{plat}用户服务协议》和《隐私政策》进行了更新，更新内容将于{md()}生效。",
                f"本次更新主要涉及{pick('个人信息的收集与使用范围', '未成年人保护规则', '交易纠纷处理规则', '账号注销流程', '自动续费提醒规则')}等内容。",
                f"根据《{pick('平台交易规则', '社区公约', '商家管理规范')}》调整，自{md()}起{pick('退货运费规则', '售后时效', '评价展示规则')}将有所变化。",
                "我们将继续采用加密技术保护您的个人信息，未经您同意不会向第三方提供。",
                f"您开通的自动续费服务将在扣费前{R.randint(3, 7)}天通过App消息提醒，您可随时在「设置-支付设置」中关闭。"]
        detail = [f"您可在{plat}App「设置-关于-协议与规则」中查看完整内容。", "如您对更新内容有任何疑问，可通过App内在线客服联系我们。",
                  "如您不同意更新内容，可选择停止使用并注销账号。"]
        safety = pick(f"{plat}客服不会通过电话要求您开通屏幕共享或向个人账户转账。", "")
    elif kind == "property":
        comm = R.choice(COMMUNITIES)
        tag = pick(f"{comm}物业服务中心", f"{comm}物业", f"{comm}业委会")
        head = pick("尊敬的业主：", "各位业主、住户：", "尊敬的业主，您好！", "")
        main = [f"为保障小区消防安全，物业将于{span('至', 2, 10)}对各楼栋消防设施进行年度检测，届时警报可能短暂鸣响，请勿惊慌。",
                f"因{pick('二次供水设施清洗', '电梯年度检验', '外墙修缮', '化粪池清掏', '地下车库照明改造')}，{R.randint(1, 20)}栋将于{md()}{clock()}至{R.randint(14, 18)}点暂停相关服务，请提前做好准备。",
                "楼道内禁止堆放杂物，电动车严禁入户充电，请到小区集中充电桩充电。",
                f"{R.randint(2024, 2026)}年度物业费已开始收缴，可通过物业App或服务中心前台缴纳，按期缴纳可享停车位优惠。",
                f"近期天气{pick('炎热', '寒冷', '多雨')}，请业主关好门窗，{pick('注意防暑', '检查水管保温', '阳台不要摆放易坠落物品')}。",
                f"小区{pick('绿化修剪', '路面维修', '门禁系统升级')}将于{md()}进行，施工期间请绕行并看护好儿童。"]
        detail = [f"如有疑问请联系物业服务中心，电话{landline(c)}。", "感谢您的理解与配合！", f"服务中心位于{R.randint(1, 20)}栋一楼，工作时间8:00-18:00。"]
        safety = pick("物业工作人员不会上门收取现金或要求转账至个人账户。", "")
    elif kind == "hospital":
        hosp = pick(f"{c}市第{pick('一', '二', '三', '四', '五')}人民医院", f"{c}市中医院", f"{c}市妇幼保健院", f"{c}大学附属医院")
        tag = hosp
        head = pick("尊敬的患者朋友：", "尊敬的患者及家属：", f"{name()}您好！", "")
        main = [f"自{md()}起，本院门诊实行全面预约诊疗，请通过医院官方公众号、{pick('健康' + c, c + '健康')}App或院内自助机预约挂号。",
                f"本院{pick('门诊楼', '住院部', '急诊科')}将于{md()}{pick('搬迁至新院区', '完成改造并恢复开放')}，地址为{R.choice(STREETS)}{R.randint(1, 500)}号。",
                f"您的{pick('体检报告', '病理报告', '检验结果')}已出，可在医院公众号或自助机查询打印，如有异常请及时复诊。",
                f"{pick('节假日', '春节', '国庆')}期间门诊安排：急诊24小时开放，专科门诊{md()}起恢复正常。",
                "为减少排队等候，建议您提前15分钟到达，按预约时段候诊。",
                "院内停车位紧张，建议乘坐公共交通前往。"]
        detail = ["就诊请携带身份证、医保卡。", "住院押金及各项费用请在院内收费窗口或官方渠道缴纳。", "如需帮助请咨询门诊服务台。"]
        safety = pick("本院不会以任何名义通过电话要求患者向个人账户转账。", "")
    elif kind == "school":
        school = pick(f"{c}市实验小学", f"{dq}第{pick('一', '二', '三')}中学", f"{R.choice(COMMUNITIES)}幼儿园", f"{c}市育才小学")
        tag = school
        head = pick("各位家长：", "尊敬的家长，您好！", "各位家长朋友：", "")
        main = [f"根据上级教育部门安排，本校{pick('寒假', '暑假', '国庆假期')}时间为{span('至', 7, 50)}，次日正式开学报到。",
                "假期请家长加强对孩子的安全教育，注意防溺水、防火、防交通事故，合理安排作息。",
                f"本学期{pick('课后服务', '午餐', '校服')}费用通过{pick('学校统一缴费平台', '市教育收费系统', '银行代扣')}缴纳，收费标准已在校园公示栏公布。",
                f"{md()}上午学校将开展{pick('新生入学体检', '视力筛查', '消防应急疏散演练')}，请孩子按时到校。",
                "开学前请督促孩子完成假期作业，调整好作息，准备好学习用品。",
                f"返校当天{pick('7:40', '8:00', '8:10')}前到校，家长请勿在校门口停车。"]
        detail = ["如有疑问请联系班主任。", "感谢各位家长的支持与配合！", f"学校咨询电话{landline(c)}。"]
        safety = pick("学校不会以任何名义要求家长向老师个人账户缴费。", "")
    elif kind == "community":
        comm = R.choice(COMMUNITIES)
        tag = pick(f"{comm}社区居委会", f"{c}{d}街道办", f"{comm}社区卫生服务站")
        head = pick("居民朋友们：", "各位居民：", "尊敬的居民朋友，您好！", "")
        main = [f"{md()}{clock()}社区将在{pick('文化广场', '党群服务中心', '活动室')}开展{pick('免费健康义诊', '老年人免费体检', '流感疫苗接种', '免费法律咨询')}活动。",
                f"为做好{pick('人口普查', '高龄津贴年审', '城乡居民医保参保登记', '独居老人走访')}工作，社区工作人员将于近期入户，届时会出示工作证件。",
                f"{pick('垃圾分类', '消防安全', '文明养犬')}宣传周期间，社区{pick('设置了咨询点', '组织志愿者入户宣传')}，欢迎居民参与。",
                f"社区{pick('老年食堂', '四点半课堂', '图书室', '便民服务站')}自{md()}起开放，开放时间为工作日{R.randint(8, 9)}:00-{R.randint(17, 19)}:00。"]
        detail = ["请携带身份证、医保卡。", "活动全程免费，不推销任何产品。", f"咨询电话{landline(c)}。"]
        safety = pick("如有人冒充社区人员上门收费，请及时报警。", "")
    elif kind == "gov":
        tag, main, detail = pick(
            (f"{c}税务", [f"{R.randint(2024, 2025)}年度个人所得税综合所得汇算清缴将于{span('开始、', 60, 100)}结束。",
                          "请通过“个人所得税”App或办税服务厅办理，需要退税的纳税人请确认银行卡信息准确。",
                          "办理初期可能出现集中访问，App将按预约时段分流，请您错峰办理。",
                          "退税款由国库直接退至您本人账户，不收取任何费用。"],
             ["如有疑问可拨打12366咨询。", "请勿点击来源不明的“退税”链接。"]),
            (f"{c}医保", [f"{R.randint(2025, 2026)}年度城乡居民医疗保险集中参保缴费期为{span('至', 30, 90)}，个人缴费标准为{R.randint(380, 420)}元/人。",
                          f"可通过{c}医保公众号、税务App或合作银行柜台缴纳。",
                          "新生儿、在校学生及灵活就业人员请按相应政策参保。",
                          "缴费后可在国家医保服务平台App查询参保状态。"],
             ["逾期未缴纳将影响次年医保待遇。", "详询12393。"]),
            (f"{c}公积金中心", [f"您的住房公积金账户{md()}已完成年度结息，结息金额已计入账户余额。",
                               "可通过公积金App、官方网站或服务网点查询明细。",
                               f"自{md()}起，住房公积金年度缴存基数调整工作开始，请单位经办人按规定办理。"],
             ["如有疑问请致电12329。"]),
            (f"{c}车管所", [f"您的驾驶证将于{md()}有效期满，请在有效期满前九十日内申请换证。",
                           "可通过交管12123App线上办理或前往车管所窗口办理，需提交身份证明和体检证明。",
                           "机动车检验有效期即将届满的，请及时到检验机构检验。"],
             ["详询12123。", "逾期未换证将影响驾驶资格。"]),
            (f"{c}出入境", [f"您申请的{pick('往来港澳通行证', '护照', '往来台湾通行证')}已制证完成，请于{md()}后凭受理回执和身份证到出入境窗口领取。",
                           "也可选择邮政速递上门，邮寄费用按公示标准收取。",
                           "证件领取时请核对个人信息，如有错误请当场提出。"],
             ["详询12367。", "委托他人代领的，需携带双方身份证。"]),
        )
        head = pick("尊敬的市民：", "尊敬的纳税人：" if "税务" in tag else "尊敬的群众：", f"{name()}您好：", "")
        safety = pick("政府部门不会通过电话要求您转账或提供验证码。", "")
    else:
        ins = pick("中国平安", "中国人寿", "太平洋保险", "泰康保险", "新华保险", "人保财险", "阳光保险")
        tag = ins
        head = pick(f"尊敬的{name()}客户：", "尊敬的客户，您好！", "尊敬的客户：", "")
        main = [f"您投保的{pick('机动车交通事故责任强制保险', '车辆商业险', '百万医疗险', '重疾险', '家庭财产险')}（保单号{num(pick(12, 15, 18))}）将于{md()}到期。",
                "为保障您的权益不中断，请于到期前通过本公司官方App、官方微信公众号或到柜面办理续保。",
                f"续期保费将于{md()}从您投保时约定的银行账户自动扣缴，请确保账户余额充足。",
                "您的保单年度报告已生成，可在官方App「我的保单」中查看。",
                "如您的联系方式、地址或银行账户有变更，请通过官方App或到柜面办理变更。"]
        detail = ["如有疑问请拨打本公司官方客服热线或联系您的服务人员。", "如已续保请忽略本短信。"]
        safety = pick("本公司不会通过个人账户收取保费，也不会以退保、理赔为由要求您转账。", "")

    lead_first = kind in ("carrier_bill", "bank_upgrade", "platform_rules", "gov", "insurance")

    def build():
        m = [main[0]] + some(main[1:], (0, 1, 1, 2, 3)) if lead_first else some(main, (1, 2, 2, 3, 3, 4))
        return ([head] + m + some(detail, (1, 1, 2)) +
                [maybe(safety, 0.5), maybe(pick("感谢您的理解与支持！", "特此通知。", "祝您生活愉快！", "给您带来的不便，敬请谅解。"), 0.4)],
                (1,))

    return fit(build, 90, 260, lambda t: tagged(t, tag, 0.6, 0.3))


def short_lure():
    """A short scam lure (20-60 characters): so that short texts are not all ham."""
    for _ in range(80):
        boss = surname() + pick("总", "局", "主任", "校长", "经理", "书记")
        amt = yuan(2000, 80000, 500)
        k = kid()
        plat = pick("抖音", "淘宝", "京东", "拼多多", "快手", "美团", "微信")
        t = pick(
            f"我是你领导，{day()}来我办公室，先加我新微信{wxid()}",
            f"我是{boss}，换号了，加我QQ{qq()}，有急事找你",
            f"{boss}：在开会，马上给这个账户转{amt}，转完截图",
            f"我是{boss}，你先垫付{amt}给供应商，回来报销",
            f"您的快递丢失，理赔请加客服QQ{qq()}",
            f"【{R.choice(CARRIERS)}】您的包裹丢失，可三倍理赔，加微信{wxid()}办理",
            f"{pick('奶奶', '爷爷', '外婆', '姥爷')}，我是{pick('孙子', '外孙', '孙女')}，打架在派出所，急需{amt}，别告诉我爸妈",
            f"孙子打架在派出所，急需转钱{amt}保释，转到{acct()}",
            f"{k}家长，孩子在学校摔伤了，急交押金{amt}，转我这张卡",
            f"我是房东，换卡了，这个月房租转到{acct()}",
            f"你涉嫌洗钱，速回电{odd_phone()}，否则冻结你名下账户",
            f"【公安】你的银行卡涉案，下载{R.choice(MEETING_APPS)}配合调查",
            f"您的{pick('微信', '支付宝', '银行卡')}已被冻结，解冻请点{bad_link('jiedong', 'wx-safe', 'zfb')}",
            f"我是{plat}客服，您的会员明天扣费{yuan(300, 900, 100)}，取消请加QQ{qq()}",
            f"恭喜中奖{pick('iPhone', '笔记本电脑', '5万元', '汽车一辆')}，先付{R.randint(30, 300)}元手续费即可领取",
            f"无抵押当天放款，先交{R.randint(5, 30)}00元手续费，加QQ{qq()}",
            f"跟着老师炒股稳赚不赔，日收益{R.randint(10, 30)}%，进群{bad_link('gp', 'vip', 'stock')}",
            f"刷单兼职日结{R.randint(200, 600)}，先垫付后返佣，加微信{wxid()}",
            f"妈，我手机坏了，这是新号，急用{amt}，先转{acct()}",
            "你的医保卡已被冻结，按9转人工处理",
            f"同学，你的学生贷款账户未注销，影响征信，速回电{odd_phone()}",
            f"我是你{pick('表哥', '舅舅', '老同学', '发小')}，换号了，急借{amt}，明天就还你",
            f"把你刚收到的验证码发我一下，我{pick('号被封了', '登不上去', '在帮你领红包')}",
            f"您的ETC已失效，请点{bad_link('etc', 'etc-gov')}重新认证",
            f"我是{pick('顺丰', '中通', '圆通')}理赔专员，需要您共享屏幕办理赔付",
            f"领导让我通知你，把{amt}转到这个对公账户{acct()}",
            f"你好，我是{name()}的朋友，他出车祸了，急需{amt}手术费",
            f"您的信用卡被盗刷{amt}，请加专员QQ{qq()}办理止付",
        )
        t = pick("", "", "", "在吗？", "急！", "你好，") + t + pick("。", "。", "！", "", "，急！", "，别告诉别人。", "，快点。")
        if 20 <= len(t) <= 60:
            return t
    raise RuntimeError("short_lure: no text of 20-60 characters")


# === genuine texts that share a scam's words ====================================================
# Added after a model trained on this file called some genuine texts scams because they use a
# scam's vocabulary: the police's own follow-up on a case the person reported (they ask only
# whether the problem is solved, or ask the person to come to the station or counter with ID),
# friends and family telling each other about a scam attempt (公安, 洗钱, 验证码, 屏幕共享 and 转账
# as reported speech, in the past tense or in a warning), and buyer and seller on a second-hand
# platform (拍下, 付款到平台, 发货, 确认收货后平台打款).

NOISE = ["楼上装修噪音", "楼下KTV夜间噪音", "邻居深夜聚会吵闹", "小区广场舞音响太大", "楼上半夜拖动家具",
         "工地夜间施工噪音", "隔壁的狗一直叫", "楼下烧烤店深夜噪音", "楼上小孩跑跳声"]
DISPUTES = ["停车纠纷", "邻里纠纷", "楼道堆放杂物的纠纷", "小区门口有人吵架", "饭店消费纠纷", "车位被占的事"]
LOST = [("钱包", "出租车上"), ("钱包", "公交车上"), ("手机", "网约车上"), ("手机", "地铁上"), ("身份证", "火车站候车室"),
        ("双肩包", "地铁上"), ("行李箱", "出租车上"), ("一串钥匙", "公园长椅上"), ("笔记本电脑", "网约车上"),
        ("孩子的书包", "公交车上"), ("证件包", "医院门诊大厅"), ("电动车", "小区门口"), ("电动车", "菜市场门口"),
        ("手机", "商场里")]
ACCIDENTS = ["剐蹭事故", "追尾事故", "电动车和小车的碰撞", "倒车剐蹭", "变道剐蹭", "两车碰撞"]
ISSUES_12345 = [
    # (what the person reported, who handled it, the result, the person's reply when it is fixed, when it is not)
    ("小区路灯不亮", "{d}街道办事处", "已安排维修，现已恢复正常", "已经修好了，晚上亮了", "还没修，晚上还是黑的"),
    ("路口井盖缺失", "市政设施管理处", "已补装井盖", "井盖已经补上了", "还是只围了个锥桶"),
    ("占道经营", "{dq}城管执法局", "已现场劝离并责令整改", "现在没人摆摊了", "白天好了，晚上又摆出来了"),
    ("楼下餐馆油烟扰民", "{dq}生态环境局", "已责令商户加装油烟净化设备", "好多了，油烟小了", "还是有油烟味"),
    ("夜间施工噪音", "{dq}住建局", "已责令施工单位调整作业时间", "晚上不施工了", "前两天停了，昨晚又开始了"),
    ("公交站牌损坏", "市公交集团", "已更换站牌", "站牌已经换了", "还没换"),
    ("小区垃圾清运不及时", "{d}街道办事处", "已协调环卫部门每日清运", "现在每天都有人来收了", "还是两三天才收一次"),
    ("共享单车乱停乱放", "{dq}城管执法局", "已通知运营企业清理", "门口清理干净了", "清了一次，又堆起来了"),
    ("人行道路面塌陷", "市政设施管理处", "已完成修复", "路已经修好了", "只填了一半"),
    ("楼下商铺音响太吵", "{dq}市场监管局", "已要求商户降低音量", "声音小多了", "白天还是很吵"),
]


def police_followup():
    """Genuine police / 110 / 12345 follow-ups about something the person reported themself: they
    ask whether it was solved, or ask the person to come to the station or counter with ID; never
    money, codes, screen sharing, apps or secrecy."""
    c, d = city(), R.choice(DISTRICTS)
    dq = d if d.endswith("区") else d + "区"
    ps = pick(f"{d}派出所", f"{d}派出所", f"{R.choice(STREETS)}派出所", f"{c}市公安局{dq}分局")
    when = pick(md(), f"{md()}晚上", f"{md()}{hm()}", "昨天晚上", "前天", "上周", "今天凌晨", "昨天下午")
    kind = pick("noise", "noise", "dispute", "lost", "lost", "accident", "survey", "hotline")
    worktime = pick("工作日上午9点到下午5点", "工作时间", "周一至周五", "明天上午", day(), "白天")
    item, where = R.choice(LOST)
    issue, dept, result, fixed, unfixed = R.choice(ISSUES_12345)
    dept = dept.format(d=d, dq=dq)
    matter = R.choice(DISPUTES if kind == "dispute" else NOISE)
    if R.random() < 0.45:
        # an SMS
        tag = pick(f"【{c}公安】", f"【{c}{d}派出所】", f"【{c}市公安局】", f"【{c}110】", "")
        if kind in ("noise", "dispute"):
            done = pick("民警已到场处置", "民警已上门与对方沟通", "已联系社区和物业协调处理", "民警已对当事人进行劝导",
                        "民警已到现场调解")
            ask = (pick("请问现在是否还有扰民？", "请问问题是否已解决？", "不知目前是否已恢复安静？", "") if kind == "noise" else
                   pick("请问问题是否已解决？", "不知目前是否已处理妥当？", ""))
            again = pick("如再次发生，请直接拨打110。", f"如有新情况可拨打110或到{ps}反映。", "感谢您的理解与配合。",
                         "请回复“已解决”或“未解决”，我们将根据情况跟进。", "")
            t = cat([f"您好，您{when}报警反映的{matter}，{done}。", ask, again])
        elif kind == "lost":
            found = pick("已找到", f"已被热心群众拾到并送到{ps}", "已被找回", f"已在{where}找到",
                         "已由出租车司机送回" if where == "出租车上" else "已找回")
            extra = pick("领取时需当面核对物品特征。", "代领需携带双方身份证及委托书。", "如有疑问可拨打110核实。",
                         "请勿轻信其他自称代领、代寄的信息。", "")
            t = cat([f"{pick(name(), '')}您好，您{when}报失的{item}{found}，",
                     f"请本人携带身份证于{worktime}到{ps}{pick('值班室', '一楼接待大厅', '户籍窗口', '综合服务窗口')}领取。",
                     extra])
        elif kind == "accident":
            tag = pick(f"【{c}交警】", f"【{c}公安交警】", f"【{c}交警{dq}大队】")
            status, purpose = pick(("事故认定书已出具", "领取认定书"), ("调查已完成", "签字确认"),
                                   ("调解时间已确定", "参加调解"), ("车辆已检验完毕", "办理放车手续"))
            t = cat([f"您{when}在{R.choice(STREETS)}发生的{R.choice(ACCIDENTS)}，{status}，",
                     f"请当事人携带身份证、驾驶证和行驶证于{worktime}到{c}交警{dq}大队事故中队窗口{purpose}。",
                     pick("如有疑问可拨打122咨询。", "请按时前来，如时间不便请提前到窗口说明。", "")])
        elif kind == "survey":
            t = cat([f"您好，您{when}拨打110报警，",
                     pick("为改进工作，请对民警的处置情况进行评价：", "我们想了解您对民警出警情况的评价，",
                          "感谢您对公安工作的支持，请对本次处警进行评价："),
                     pick("回复1满意，2基本满意，3不满意。", "满意请回复1，不满意请回复2。", "回复1满意、2不满意。"),
                     pick("本短信免费。", "感谢您的配合！", "")])
        else:
            tag = pick(f"【{c}12345】", "【12345政务服务便民热线】", f"【{c}市民热线】")
            t = cat([f"您好，您{when}反映的{issue}问题（工单号{num(pick(10, 12))}）已转{dept}办理，",
                     f"办理结果：{result}。",
                     pick("请对办理结果进行评价，回复1满意、2基本满意、3不满意。", "如问题仍未解决，可再次拨打12345反映。",
                          "感谢您对城市管理工作的支持。", "")])
        return t if not tag else pick(tag + t, t + tag)
    # a call transcript, with the person's short replies
    me = pick("我", "我", "我", "B")
    yes = pick("是的，我是", "对，是我", "嗯，是我", "对，怎么了？", "是我，您说", "哦，对")
    sir = pick(f"{surname()}先生", f"{surname()}女士", name())
    if kind in ("noise", "dispute", "survey"):
        a, opener = pick(
            ("民警", f"您好，我是{ps}的民警，姓{surname()}，您{when}打110反映{matter}，我们做个回访。"),
            ("民警", f"您好，{ps}的，您{when}报警说{matter}，想问一下后来怎么样了。"),
            ("110回访", f"您好，这里是{c}市公安局110回访，您{when}报警反映{matter}，占用您一分钟时间。"),
            ("回访员", f"您好，{c}公安110满意度回访，请问是{sir}吗？您{when}报过警。"))
        if kind == "dispute":
            q = pick("请问现在问题解决了吗？", "后来双方谈妥了吗？", "现在还有这个情况吗？")
            good = pick("解决了，谢谢", "已经谈好了，谢谢你们", "解决了，对方也道歉了", "已经好了")
            bad = pick("还没完全解决", "对方当时答应了，后来又那样了")
        else:
            q = pick("请问现在问题解决了吗？", "民警处理之后还有没有再吵？", "现在还吵吗？")
            good = pick("解决了，谢谢", "解决了，现在安静多了", "已经好了，谢谢你们", "好多了，没再吵了")
            bad = pick("还有一点，晚上还是有声音", "好一点了，但是周末还是吵", "对方当时停了，后来又开始了")
        rate_q = pick("对民警的处置您满意吗？", "您对出警速度和处理结果满意吗？", "您对这次处理满意吗？", "")
        rate = pick("满意", "满意，来得挺快的", "非常满意", "挺满意的，辛苦了", "满意，谢谢")
        if R.random() < 0.75:
            rest = [(a, q), (me, good)] + ([(a, rate_q), (me, rate)] if rate_q else [])
            close = pick("好的，那不打扰您了，祝您生活愉快。", "好的，以后有问题随时拨打110。", "好的，感谢您的配合，再见。",
                         "好的，那我们这边就结案了，谢谢。")
        else:
            rest = [(a, q), (me, bad)]
            close = pick("好的，我们再跟社区和物业沟通一下，再发生您直接打110，民警会再过去。",
                         "明白了，我们会再联系对方，有情况随时报警。", "好的，这个情况我们记下了，会安排民警再去一趟。")
        lines = [(a, opener), (me, yes)] + rest + [(a, close)]
        if R.random() < 0.5:
            lines.append((me, pick("好的，谢谢", "辛苦了", "好，再见")))
    elif kind == "lost":
        a = pick("民警", "派出所", "辅警")
        opener = pick(f"您好，这里是{ps}，您{when}报失的{item}找到了。",
                      f"您好，我是{ps}的{a if a != '派出所' else pick('民警', '辅警')}，姓{surname()}，您{when}在{where}丢的{item}有人送到所里了。",
                      f"您好，是{sir}吗？您{when}来所里登记丢失的{item}，已经找回来了。")
        me1 = pick("太好了！", "真的吗？太感谢了", "啊，找到了？太好了", "谢谢谢谢！")
        how = pick(f"您方便的时候带上身份证到所里来领，{worktime}都可以，到了找值班民警就行。",
                   f"麻烦您本人带身份证到{ps}{pick('一楼大厅', '值班室', '接待窗口')}来领，领的时候要核对一下{'车架号' if item == '电动车' else '里面的东西'}。",
                   f"您{worktime}带身份证过来一趟，当面确认一下是不是您的。")
        me2 = pick("好的，我明天上午过去", "好，我下班就过去", "需要带别的吗？", "好的，我让我爱人去领可以吗？")
        ans = {"需要带别的吗？": pick("带身份证就行，不用带别的。", "带身份证就行，有购车发票的话也带上。" if item == "电动车" else "带身份证就行。"),
               "好的，我让我爱人去领可以吗？": "可以，代领需要带您和他的身份证，再写个委托书。"}.get(
            me2, pick("好的，到了找值班民警就行。", "好的，不客气。", ""))
        lines = [(a, opener), (me, me1), (a, how), (me, me2)] + ([(a, ans)] if ans else [])
    elif kind == "accident":
        a = pick("交警", "事故中队", "民警")
        acc = R.choice(ACCIDENTS)
        opener, how = pick(
            (f"您好，{c}交警{dq}大队事故中队，您{when}那起{acc}的认定书出来了。",
             f"麻烦您{worktime}带上身份证、驾驶证、行驶证到事故中队窗口来领一下。"),
            (f"您好，我是事故中队的{surname()}警官，关于您{when}在{R.choice(STREETS)}的{acc}，调解时间定了。",
             f"双方{worktime}到中队来一趟，当面调解，记得带身份证和驾驶证。"),
            (f"您好，是{when}在{R.choice(STREETS)}出{acc}的车主吗？这边是交警{dq}大队。",
             f"您的车检验完了，{worktime}带行驶证和身份证到窗口办一下放车手续。"))
        me2 = pick("好的，需要对方一起来吗？", "好的，我明天过去", "行，几点下班？", "好，知道了")
        ans = {"好的，需要对方一起来吗？": "不用，各自来领就行。" if "认定书" in opener else "对方那边我们也通知了。",
               "行，几点下班？": "下午5点半，中午12点到1点半不办。"}.get(me2, "")
        lines = [(a, opener), (me, yes), (a, how), (me, me2)] + ([(a, ans)] if ans else [])
    else:
        a = pick("12345", "话务员", "回访员")
        opener = pick(f"您好，这里是{c}12345热线，您{when}反映的{issue}，相关部门已经处理了，我们做个回访。",
                      f"您好，12345回访，您{when}打电话说{issue}，请问现在解决了吗？",
                      f"您好，我是{c}市民热线的话务员，关于您反映的{issue}，想跟您确认一下处理情况。")
        solved = R.random() < 0.75
        rep = pick(f"解决了，{fixed}", fixed, "解决了，谢谢") if solved else unfixed
        asked = "请问" in opener
        lines = [(a, opener), (me, rep if asked else yes)]
        if not asked:
            lines += [(a, pick("请问现在解决了吗？", "问题处理好了吗？")), (me, rep)]
        if solved:
            if R.random() < 0.7:
                lines += [(a, pick("您对办理结果满意吗？", "请问您对处理结果是否满意？")), (me, pick("满意", "满意，谢谢", "挺满意的"))]
            lines.append((a, pick("好的，感谢您的支持，再见。", "好的，那这个工单就办结了，谢谢。")))
        else:
            lines.append((a, "好的，我们会把情况反馈给承办单位继续跟进，谢谢您。"))
    return pick("\n", "\n", " ").join(f"{r}：{s}" for r, s in lines)


SCAM_TOLD = [
    # (how it came: call, text or chat; who they claimed to be and what they said about {p}; what they
    # wanted {p} to do)
    ("call", "冒充公安，说{p}涉嫌洗钱", ["让{p}共享屏幕", "让{p}把钱转到安全账户", "让{p}下载个会议软件配合调查",
                                    "让{p}找个没人的房间做笔录", "还不让{p}告诉家里人"]),
    ("call", "自称检察院的，说{p}的银行卡涉及一个大案", ["让{p}加QQ做笔录", "让{p}把存款转过去核查", "还发了个通缉令链接"]),
    ("call", "自称京东金融客服，说{p}大学时开的学生账户没注销，影响征信",
     ["让{p}在借呗上借钱转过去验证", "让{p}下载会议软件共享屏幕", "让{p}把验证码报给他"]),
    ("call", "说是快递理赔的，说{p}的包裹丢了要三倍赔偿", ["让{p}加QQ办理", "让{p}扫码填银行卡", "让{p}把验证码发给他"]),
    ("call", "说是医保中心的，说{p}的医保卡在外地有违规消费要冻结", ["然后转接了个“警察”", "让{p}按9转人工", "让{p}报银行卡号"]),
    ("chat", "冒充{p}领导，用新微信加{p}，说在开会不方便接电话", ["让{p}先给供应商转钱", "让{p}垫付一笔保证金"]),
    ("chat", "冒充{p}外甥，说手机坏了换了新号", ["让{p}转钱交培训费", "找{p}借几千块"]),
    ("call", "说是航空公司的，说{p}的航班取消了", ["让{p}验证银行卡办改签", "让{p}下载会议软件领补偿"]),
    ("text", "发短信说{p}的ETC失效了", ["让{p}点链接重新认证", "让{p}填银行卡和验证码"]),
    ("call", "自称抖音客服，说{p}误开了直播会员每月要扣费", ["让{p}共享屏幕帮忙取消", "让{p}加企业微信"]),
    ("call", "冒充学校老师，说孩子在学校摔伤了", ["让{p}先转押金到一张卡上"]),
    ("text", "发短信说{p}中奖了", ["让{p}先交个人所得税", "让{p}先转几百块手续费"]),
    ("chat", "拉{p}进了个炒股群，说老师带单稳赚不赔", ["让{p}下载个App充钱"]),
    ("chat", "加{p}QQ，说有刷单兼职，一单返佣几块钱", ["让{p}先垫付"]),
    ("call", "自称银行的，说{p}的卡被盗刷了", ["让{p}把验证码念给他", "让{p}把钱转到新账户保护起来"]),
    ("call", "自称淘宝客服，说{p}买的东西有质量问题要退款", ["让{p}打开支付宝备用金", "让{p}共享屏幕操作退款"]),
    ("text", "发短信说{p}的医保卡要停用", ["让{p}点链接补录资料"]),
]
# (opening, the pronoun for the person it happened to, whether the opening is a phone call)
TOLD_LEADS = [("刚才有人", "我", False), ("昨天有人", "我", False), ("刚刚有人", "我", False), ("今天有人", "我", False),
              ("今天接到个电话，对方", "我", True), ("下午接了个电话，对方", "我", True), ("早上一个陌生号码打过来，", "我", True),
              ("我妈今天接到个电话，对方", "她", True), ("我爸前两天接到个电话，对方", "他", True),
              ("我同事今天差点被骗，有人", "她", False), ("楼下阿姨说昨天有人", "她", False),
              ("我奶奶昨天接了个电话，对方", "她", True), ("我老公今天接到个电话，对方", "他", True),
              ("表姐说她前几天遇到个事，有人", "她", False), ("我爸说有人", "他", False)]
TOLD_REACT = {
    "any": ["{p}一听就是骗子，没理", "{p}打了96110问了，果然是诈骗", "{p}在国家反诈中心App上举报了"],
    "call": ["{p}直接挂了", "{p}说要去派出所当面说，对方就挂了", "{p}骂了句骗子就挂了", "{p}听了两句就挂了",
             "{p}挂了打官方客服问了，根本没这回事"],
    "text": ["{p}没理，把短信删了", "{p}没点，直接删了", "{p}截图举报了", "{p}打官方热线问了，根本没这回事"],
    "chat": ["{p}没理，直接拉黑了", "{p}打了对方原来的号码一问，根本不是本人", "{p}直接删了好友"],
    "police": ["{p}问对方警号，对方支支吾吾就挂了", "{p}说要去派出所当面配合，对方马上挂了"],
    "other": ["还好{p}先给我打了个电话", "{p}差点就转了，幸好银行柜员拦住了", "{p}当时有点慌，还好我在旁边",
              "{p}后来去派出所问了，民警说是诈骗"],
}
TOLD_WARN = ["你们也注意点", "大家都小心点", "跟爸妈也说一声", "记住公安不会打电话让你转账", "真客服不会让你共享屏幕",
             "验证码谁要都别给", "凡是让转账的先打电话核实", "陌生的会议号千万别进", "骗子现在连名字都知道，太吓人了",
             "现在骗子真是什么都编得出来", "你也跟家里老人说说"]
TOLD_COMMENTS = ["哈哈骗子", "吓死我了，还好没信", "现在骗子套路真多", "上周我也接到过一样的", "幸好你反应快",
                 "骗子连这都编得出来", "对，先挂电话再核实", "我也收到过这种，直接删了", "这种一听就是假的", "你可千万别理他们",
                 "哈哈哈他们找错人了", "我们单位也通报过这种", "太吓人了"]
# a friend's question, and the answers that fit it
TOLD_QUESTIONS = {"你没转钱吧": "money", "钱没转吧？": "money", "没把验证码给他吧？": "code", "你没点链接吧？": "link"}
TOLD_ANSWERS = {
    "money": ["没有，我又不傻", "当然没转", "没有，一分钱都没转", "没有，已经在国家反诈中心App举报了", "放心吧，没理他"],
    "code": ["没给，验证码谁要都不给", "当然没有", "没有，我又不傻"],
    "link": ["没点，直接删了", "没有，看网址就不对", "没点，已经举报了"],
    "comment": ["是啊，太离谱了", "对，现在什么都敢编", "哈哈是啊", "已经在国家反诈中心App举报了", "我也是服了"],
}
TOLD_REPLIES = TOLD_COMMENTS + list(TOLD_QUESTIONS) + ["已经在国家反诈中心App举报了"]
FAMILY_REPLIES = ["知道了，放心", "好，有事我先打你电话", "记住了，谁要钱都先问你", "好的，我跟你爸也说一下", "收到，不会给的",
                  "放心吧，我不接陌生电话", "知道了，上次社区也讲过"]


def scam_recounted():
    """Friends and family telling each other about a scam attempt, mocking it or warning each other,
    and the replies: a scam's words as reported speech, in the past tense or in a warning."""
    kind = pick("told", "told", "told", "chat", "chat", "family", "family", "community", "reply")
    medium, p = "", ""

    def told():
        nonlocal medium, p
        medium, claim, asks = R.choice(SCAM_TOLD)
        if "大学" in claim:
            lead, p, by_call = R.choice([x for x in TOLD_LEADS if x[1] == "我"])
        else:
            lead, p, by_call = R.choice(TOLD_LEADS)
        if medium != "call" and by_call:
            lead, p, by_call = R.choice([x for x in TOLD_LEADS if not x[2]])
        pool = TOLD_REACT["any"] + TOLD_REACT[medium] + (TOLD_REACT["police"] if "公安" in claim or "检察院" in claim else [])
        pool += TOLD_REACT["other"] if p != "我" else []
        parts = [lead + claim.format(p=p), R.choice(asks).format(p=p), R.choice(pool).format(p=p)]
        if R.random() < 0.45:
            parts.append(R.choice(TOLD_WARN))
        return cat(parts, ("，",))

    if kind == "told":
        return tail(told(), "", "。", "！", "😂", "[捂脸]", "，哈哈")
    if kind == "chat":
        a, b = pick(("我", "妈"), ("我", "朋友"), ("A", "B"), ("我", "老婆"), ("我", "小王"), ("我", "姐"), ("我", "同事"))
        story = tail(told(), "", "。", "😂")
        qs = [q for q, k in TOLD_QUESTIONS.items() if k != "link" or medium == "text"]
        reply = R.choice(qs) if p == "我" and R.random() < 0.5 else R.choice(TOLD_COMMENTS)
        lines = [(a, story), (b, reply)]
        if reply in TOLD_QUESTIONS or R.random() < 0.4:
            lines.append((a, R.choice(TOLD_ANSWERS[TOLD_QUESTIONS.get(reply, "comment")])))
            if R.random() < 0.4:
                lines.append((b, pick("那就好", "好的，我也注意", "厉害", "👍")))
        return pick("\n", "\n", " ").join(f"{x}：{s}" for x, s in lines)
    if kind == "family":
        call = pick("妈", "爸", "奶奶", "外婆", "老婆", "姐", "爷爷", "姥姥")
        cond = pick("如果有人说我出事要钱", "要是有人用新号说是我", "如果有人打电话说我在派出所", "要是有人说我出车祸了",
                    "要是有人自称公安说你涉嫌洗钱", "如果有人说你医保卡要冻结", "有人让你共享屏幕或者报验证码",
                    "有人说你的银行卡不安全要转到安全账户", "要是有老师说孩子受伤让你转钱")
        do = pick("一定先打我电话", "直接挂了，打我原来的号码核实", "千万别转钱，先问我", "别理他，挂了给我打电话",
                  "一分钱都别转", "先给我打电话，我没接就打给我同事")
        why = pick("最近这种骗局特别多", "我同事家里刚被骗了两万", "新闻里天天在说", "社区民警也这么提醒的", "")
        if why and R.random() < 0.4:
            parts = [f"{call}，{why}", cond, do]
        else:
            parts = [f"{call}，{cond}", do] + ([why] if why else [])
        t = tail(cat(parts, ("，",)), "", "。", "！", "，记住啊")
        if R.random() < 0.35:
            who = {"老婆": "老婆", "姐": "姐"}.get(call, call)
            return pick("\n", " ").join([f"我：{t}", f"{who}：{R.choice(FAMILY_REPLIES)}"])
        return t
    if kind == "community":
        src = pick("我们小区群里说", "社区民警今天在群里提醒", "公司群里转了个通知，说", "家长群里老师提醒", "新闻上说",
                   "派出所来小区讲座说", "我们业主群里有人说")
        what = pick("冒充客服退款", "冒充公检法说洗钱", "冒充领导加微信借钱", "冒充老师收费", "刷单返利", "发ETC认证链接",
                    "冒充医保局打电话", "打电话说要注销校园贷", "冒充快递理赔", "冒充银行说卡被盗刷")
        return cat([f"{src}最近有{what}的", pick("你注意", "你跟爸妈说一声", "接到这种电话直接挂", "别点陌生链接",
                                             "谁让转账都别信", "已经有人被骗了")], ("，",)) + pick("", "。", "！")
    return pick("", "", "哈哈，", "啊？", "天哪，") + R.choice(TOLD_REPLIES + FAMILY_REPLIES) + pick("", "", "！", "。", "😂", "[捂脸]")


SECONDHAND = [
    # (item, price range in yuan, a question about it, its answer)
    ("iPhone 13", (1800, 3200), "电池健康多少？有没有修过？", lambda: f"电池{R.randint(82, 96)}%，没拆没修，一直贴膜带壳"),
    ("Switch", (900, 1700), "几个手柄？卡带带吗？", lambda: f"两个手柄，送{R.randint(1, 3)}张卡带，盒子也在"),
    ("婴儿推车", (200, 1200), "能一键折叠吗？有没有坏的地方？", lambda: "可以一键折叠，轮子都好的，就是篷布有点褪色"),
    ("公路自行车", (800, 3000), "车架多大的？适合多高的人？", lambda: f"{pick('S', 'M', 'L')}码，{R.randint(165, 185)}左右都能骑，刚换了刹车片"),
    ("单反相机", (1500, 4000), "快门数多少？镜头有没有霉？", lambda: f"快门{R.randint(3, 30)}千多次，镜头无霉无雾"),
    ("考研资料", (30, 150), "有笔记吗？", lambda: "前几章有点铅笔笔记，后面基本全新"),
    ("显示器", (300, 1200), "有没有坏点？", lambda: "没有坏点，支架和线都在"),
    ("AirPods", (300, 900), "是正品吗？能查序列号吗？", lambda: "官网买的，序列号可以查，发票也在"),
    ("Kindle", (200, 600), "屏幕有划痕吗？", lambda: "屏幕完好，一直套着保护套"),
    ("吉他", (300, 1500), "有没有开裂？琴弦新的吗？", lambda: "没有开裂，上个月刚换的弦，送琴包"),
    ("乐高", (100, 600), "零件齐吗？", lambda: "零件齐全，说明书都在，拼过一次就拆了"),
    ("空气净化器", (200, 900), "滤芯换过吗？", lambda: f"{R.randint(1, 5)}个月前刚换的滤芯，送一个备用的"),
    ("人体工学椅", (200, 900), "能自提吗？", lambda: f"太大了不好寄，最好自提，在{R.choice(DISTRICTS)}这边"),
    ("扫地机器人", (300, 1500), "还能正常建图吗？", lambda: "都正常，换过一次边刷，充电座都在"),
    ("电饭煲", (50, 300), "内胆有没有掉涂层？", lambda: "内胆好的，就用了几次，搬家用不上了"),
    ("儿童自行车", (80, 400), "适合几岁的？", lambda: f"{R.randint(3, 5)}到{R.randint(7, 9)}岁，辅助轮可以拆"),
]


def secondhand_trade():
    """Buyer and seller on a second-hand platform: condition, price, shipping, paid to the platform,
    confirm receipt and the platform pays out; everything in the platform's own chat."""
    plat = pick("闲鱼", "转转", "闲鱼", "App")
    item, (lo, hi), q, ans = R.choice(SECONDHAND)
    price = R.randint(lo // 10, hi // 10) * 10
    offer = max(10, int(price * pick(0.8, 0.85, 0.9)) // 10 * 10)
    cour = pick("中通", "圆通", "顺丰", "韵达", "京东快递", "申通")
    final = pick(price, offer, max(offer, (price + offer) // 20 * 10))
    bq = pick(f"{offer}出不出？", f"诚心要，{offer}包邮行吗？", "能便宜点吗？", "最低多少？")
    if final == price:
        sa = pick("已经是最低价了，不议价哦", f"不好意思，{price}不刀了，东西真的很新", f"{price}是最低了，包邮")
    elif final == offer and str(offer) in bq:
        sa = pick(f"行，{offer}给你，你拍下我改价", f"可以，{offer}吧，拍下我改价")
    else:
        sa = pick(f"最低{final}了，包邮", f"{final}吧，你直接拍我改价", f"{final}可以，不包邮")
    ships = [("发什么快递？", pick(f"{cour}，拍下当天发", f"发{cour}，包邮")),
             ("同城能自提吗？", pick(f"可以，在{R.choice(DISTRICTS)}地铁站附近", "可以自提，提前半小时跟我说")),
             ("什么时候能发？", pick("今天下午就能发", "拍下当天就发", "明天上午发")),
             ("包邮吗？", pick(f"包邮，发{cour}", "偏远地区不包邮，其他都包"))]
    ship = R.choice(ships[:3] if "包邮" in sa else ships)
    cond = pick((q, ans()), ("成色怎么样？有没有磕碰？", pick("九成新，图里拍得很清楚", "边角有点小划痕，不影响使用，介意的话慎拍")),
                ("用了多久了？", f"用了{R.randint(2, 18)}个月，{pick('没什么磕碰', '一直很爱惜', '功能都正常')}"))
    order = pick([("b", pick("我拍下了，你改一下价", "已经拍了，你改下价", f"我在{plat}里拍下了，麻烦改个价")),
                  ("s", "改好了，你付款吧"), ("b", pick("付好了", "已付款到平台，你发货吧"))],
                 [("b", pick("已付款到平台，你发货吧", f"我在{plat}上付好了", "拍下了，也付款了"))])
    stages = [
        [("b", pick(f"你好，这个{item}还在吗？", "在吗？这个还有吗？", f"请问{item}还卖吗？", "宝贝还在吗")),
         ("s", pick("在的", "还在", "在的，可以直接拍", "在，昨天刚挂的"))],
        [("b", cond[0]), ("s", cond[1])],
        [("b", bq), ("s", sa)],
        [("b", ship[0]), ("s", ship[1])],
        order + [("s", pick("收到，马上打包", "好的，下午寄出", "看到了，今天就发"))],
        [("s", pick(f"发了，{cour}，单号在订单里能看到", f"已发{cour}，单号{num(12)}", f"寄出了，大概{R.randint(1, 4)}天到",
                    "已发货，物流在订单详情里")),
         ("b", pick("好的，谢谢", "收到", "好的👌", "辛苦了"))],
        [("b", pick("收到了，东西不错，已经确认收货了", "到了，试了一下没问题，确认收货了哈", "东西收到了，跟描述的一样，确认收货了",
                    "收到了，包装挺好的")),
         ("s", pick("好的，确认收货后平台就把钱打给我了，谢谢", "谢谢，有空给个好评呀", "好的，用得开心", "好嘞，有问题随时在这里说"))],
    ]
    # platform notes, each said before the order is placed
    notes = [[("s", "用平台的聊天就行，有记录放心")],
             [("s", "走平台担保交易，你确认收货后钱才到我这")],
             [("s", "你收到没问题再点确认收货，确认后平台才打款")],
             [("b", "可以走验货吗？"), ("s", "可以，选验货的话平台验完再发给你")],
             [("b", "我直接在App里拍，走平台交易哈"), ("s", "好的，拍吧")]]
    if R.random() < 0.15:
        # one message
        return pick(
            f"亲，{item}已经发货了，{cour}，单号在订单里，收到没问题麻烦确认收货，平台会打款给我，有问题随时在这里说。",
            f"你好，看到你拍下了，已改价{final}元，付款到平台后我今天就发{cour}。",
            f"{item}今天寄出了，确认收货后平台才打款，不用着急，检查好了再点。",
            f"我在{plat}上拍下了，已付款，麻烦尽快发货，谢谢～",
            f"你好，{item}{' ' if item[-1].isascii() else ''}{price}元可以小刀吗？在{plat}上拍，不着急。")
    start = R.choice([0, 0, 0, 1, 2, 3, 4, 5])
    end = R.randint(min(start + 2, len(stages)), len(stages))
    keep = [i for i in range(start, end) if i == start or R.random() < 0.75]
    if R.random() < 0.35 and keep[0] < 4:
        at = R.choice([i for i in keep if i < 4])
        stages[at] = stages[at] + R.choice(notes)
    lines = [x for i in keep for x in stages[i]]
    names = pick({"b": "买家", "s": "卖家"}, {"b": "我", "s": "卖家"}, {"b": "买家", "s": "我"}, {"b": "A", "s": "B"})
    return pick("\n", "\n", " ").join(f"{names[r]}：{s}" for r, s in lines)


# ------------------------------------------------------------------------------------------------
# Placeholder tokens. Anonymised corpora replace numbers, names, places and links with tokens; a
# few records of every label get the same treatment here, so that the tokens carry no label.

URL_RE = re.compile(r"(?:https?://[A-Za-z0-9._~:/?=&%#-]+"
                    r"|(?<![A-Za-z0-9._-])(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,7}(?:-[A-Za-z]+\.[A-Za-z]{2,7})?/[A-Za-z0-9._~/?=&%#-]*)")
# phone and card numbers written in groups first, then any number of three or more digits
DIGIT_RE = re.compile(r"(?:\+\d{2,3} )?\d{3,4}(?:[ -]\d{3,8}){1,4}|\d[\d,.]*\d")
TITLES = ["经理", "警官", "师傅", "老师", "医生", "先生", "女士", "主管", "专员", "检察官", "法官", "民警", "总", "会计"]
PLACES = sorted({c for c, _ in CITIES} | set(PROVINCES) | set(DISTRICTS) | set(COMMUNITIES) | set(STREETS),
                key=len, reverse=True)
PLACE_RE = re.compile("|".join(re.escape(p) for p in PLACES))
USED = {"names": [], "surnames": []}


def anonymise(text, seed):
    """Replaces links, long numbers, the names the generator used and places with URL, DIGIT, NAME
    and PLACE; each kind with some chance, and at least one that changes the text (else None)."""
    a = random.Random(seed)
    kinds = [k for k in ("url", "digit", "name", "place") if a.random() < 0.7] or [a.choice(["url", "digit", "name", "place"])]
    out = text
    for k in ("url", "digit", "name", "place"):
        if k not in kinds:
            continue
        if k == "url":
            out = URL_RE.sub("URL", out)
        elif k == "digit":
            out = DIGIT_RE.sub(lambda m: "DIGIT" if sum(ch.isdigit() for ch in m.group()) >= 3 else m.group(), out)
        elif k == "name":
            for n in sorted(set(USED["names"]), key=len, reverse=True):
                out = out.replace(n, "NAME")
            for s in set(USED["surnames"]):
                for t in TITLES:
                    out = out.replace(s + t, "NAME" + t)
        else:
            out = PLACE_RE.sub("PLACE", out)
    return out if out != text else None

# ------------------------------------------------------------------------------------------------

CATEGORIES = [
    ("scam", "police_authority", police, 210),
    ("scam", "customer_service", customer_service, 165),
    ("scam", "credit_record", credit_record, 70),
    ("scam", "loan_fraud", loan_fraud, 140),
    ("scam", "fake_leader", fake_leader, 100),
    ("scam", "fake_acquaintance", fake_acquaintance, 120),
    ("scam", "flight_rebook", flight_rebook, 25),
    ("scam", "task_rebate", task_rebate, 55),
    ("scam", "investment", investment, 55),
    ("scam", "social_insurance", social_insurance, 45),
    ("scam", "etc_link", etc_link, 25),
    ("scam", "prize_link", prize_link, 25),
    ("scam", "parcel_link", parcel_link, 25),
    ("spam", "retail", retail, 90),
    ("spam", "membership_points", points, 70),
    ("spam", "property", property_, 70),
    ("spam", "home_decor", home_decor, 60),
    ("spam", "education", education, 80),
    ("spam", "beauty", beauty, 60),
    ("spam", "dining", dining, 70),
    ("spam", "loan_ad", loan_ad, 60),
    ("spam", "telecom_promo", telecom_promo, 40),
    ("ham", "bank_notice", bank_notice, 140),
    ("ham", "verification_code", verification_code, 110),
    ("ham", "delivery", delivery, 100),
    ("ham", "order_travel", order_travel, 85),
    ("ham", "appointment", appointment, 85),
    ("ham", "school_notice", school_notice, 60),
    ("ham", "utility_carrier", utility, 90),
    ("ham", "official_advisory", advisory, 100),
    ("ham", "service_dialogue", service_dialogue, 100),
    ("ham", "family_chat", family_chat, 170),
    ("ham", "work_chat", work_chat, 135),
    ("ham", "friend_chat", friend_chat, 110),
    ("ham", "short_chat", short_chat, 75),
    # added after the first release; appended so that the records above keep their texts
    ("spam", "long_carrier_promo", carrier_long, 150),
    ("spam", "long_platform_promo", platform_long, 170),
    ("spam", "long_local_promo", local_long, 130),
    ("ham", "long_notice", long_notice, 200),
    ("scam", "short_lure", short_lure, 150),
    # added later still: genuine texts that share a scam's words
    ("ham", "police_followup", police_followup, 80),
    ("ham", "scam_recounted", scam_recounted, 90),
    ("ham", "secondhand_trade", secondhand_trade, 75),
]

# Share of each label's records (of the long adverts) picked for placeholder tokens; a picked text
# with nothing to replace (a short chat) stays as it is, so about 3 % of each label end up with tokens
# (the short adverts of the first release get none, the long ones make up for them).
ANON_RATE = {"ham": 0.05, "scam": 0.045, "long_carrier_promo": 0.09, "long_platform_promo": 0.09,
             "long_local_promo": 0.09}


def collapsed(text):
    """`text` with runs of white space as one space: two texts that differ only there are one."""
    return " ".join(text.split())


def fresh(gen):
    """A text of `gen`, with names drawn afresh (a text never repeats a name by accident)."""
    USED["names"].clear()
    USED["surnames"].clear()
    return gen().strip()


def main():
    seen = set()
    rows = []
    for label, cat, gen, n in CATEGORIES:
        made = 0
        for t in unique_texts(lambda: fresh(gen), n, seen, key=collapsed):
            h = int(hashlib.sha256(("anon:" + t).encode()).hexdigest()[:12], 16)
            if h % 10000 < ANON_RATE.get(cat, ANON_RATE.get(label, 0)) * 10000:
                a = anonymise(t, h)
                if a and collapsed(a) not in seen and (not cat.startswith("long_") or len(a) >= 90):
                    t = a
                    seen.add(collapsed(a))
            made += 1
            rows.append(record("zh_written", "zh", len(rows), t, label, cat))
        if made < n:
            print(f"warning: {cat}: only {made} of {n} unique texts")
    write(rows, "zh_written_messages.jsonl")


if __name__ == "__main__":
    main()

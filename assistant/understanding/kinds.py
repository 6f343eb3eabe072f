"""Kinds of data: the contract's and the rule packs' data kinds, other personal information, and "none at all"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..facts import SENSITIVE_KINDS, DataSubject
from .negation import EXCEPT, asked, clause_of, doubted, negated, unsure
from .persons import PEOPLE_EN, PEOPLE_ZH
from .text import rx, words

PACK_DATA_KINDS: tuple[str, ...] = (
    "military_area_geo",
    "vehicle_logistics_flow",
    "charging_network_ops",
    "connected_vehicle_service",
    "ecu_after_sales",
    "supply_chain_attack",
)
"""Data kinds declared by the beijing-ftz-2024 rule pack (important-data items of the automotive field)."""

_DEVICE = r"(?:probes?|machines?|scanners?|devices?|equipment|systems?|units?|transducers?|tubes?|makers?)\b"
"""After an imaging word, the product, not a patient's data: "ultrasound probes", "CT scanners"."""

_NOT_OF_PEOPLE_EN = (
    r"(?!\s+(?:customers?|users?|holders?|members?|cent(?:re|er)s?|departments?|divisions?|business|teams?|units?))"
)
_NOT_OF_PEOPLE_ZH = "(?!客户|用户|持卡人|会员|中心|部|业务|团队)"
"""Not a card that names its people or a unit ("credit card customers' phone numbers", "信用卡中心"): the card's own
data is what is sensitive."""
_NOT_ANIMALS = r"(?<!pet )(?<!pets )(?<!pets' )(?<!animal )(?<!animals' )(?<!dog )(?<!dogs' )(?<!cat )(?<!cats' )"
"""Not of an animal: a pet's vaccinations are not a person's health."""

KIND_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Sensitive kinds (PIPL art 28), each by its concept and the records that carry it (GB/T 35273 examples).
    ("health", rx(
        # the concept
        r"\bhealth(?:care)?\b", r"\bmedical(?![\s-]+devices?)\b", "医疗(?!器械)", "健康",
        # the people it is about
        r"\bpatients?\b", "患者", "病人", "病患",
        # care and its records
        r"\bclinical\b", r"\bdiagnos[ie]s\b", r"\bE[HM]Rs?\b", r"\ballerg(?:y|ies)\b", r"\bcase report forms?\b",
        r"\bCRFs?\b", r"\blab(?:oratory)? (?:results?|reports?|tests?)\b", r"\bblood (?:tests?|results?|work)\b",
        r"\bprescriptions?\b", r"\bmedications?\b", r"\b(?:health|medical) check-?ups?\b",
        r"\bcheck-?up (?:results|reports)\b",
        r"\bmedical histor(?:y|ies)\b", r"\bdisabilit(?:y|ies)\b",
        r"\bmental[\s-]health\b", r"\bdepression\b", r"\banxiety (?:scores?|scales?|disorders?|symptoms?)\b",
        r"\bpsychiatric\b", r"\b(?-i:PHQ|GAD)-?\d*\b", "心理健康", "心理(?:测评|评估|咨询|量表)", "抑郁",
        "焦虑(?:量表|症)", "精神(?:疾病|病史|状况)",
        "病历", "病例", "病案", "病史", "病情", "过敏史", "既往史", "临床", "诊疗", "诊断", "就诊", "住院",
        "问诊(?:记录|数据|信息|内容)",
        r"\b(?:consultation|telemedicine|tele-?consultation) (?:records?|notes?|transcripts?)\b",
        "体检(?!(?:连锁)?(?:机构|中心|公司|门店|连锁|集团|医院))",
        r"\bsick(?:ness)? (?:notes?|leave certificates?)\b", r"\bdoctor'?s notes?\b", r"\bblood types?\b",
        r"\b(?-i:f?MRI|CT|PET)(?:[\s-]scans?|[\s-]images?|[\s-]data)?\b(?!\s*" + _DEVICE + ")",
        r"\bx-?rays?\b(?!\s*" + _DEVICE + ")", r"\bultrasounds?\b(?!\s*" + _DEVICE + ")",
        r"\bradiolog(?:y|ical)\b", r"\bmedical (?:imag(?:es|ing)|scans?)\b", r"\btreatment plans?\b",
        "化验", "检验(?:报告|结果|单)", "检查(?:报告|结果)", "处方", "用药", "残疾", "病假(?:证明|条|单)", "血型",
        "核磁", "CT片", "X光", "影像(?:资料|片|检查|数据)?", "治疗方案", "症状", "听力(?:图|检测|测试|数据|档案)",
        r"\bsymptoms?\b", r"\baudiograms?\b", r"\bhearing (?:tests?|test results|profiles?)\b",
        "诊断书", "疾病", "手术(?:记录|照片|方案|史)?", "术前", "术后", r"\bsurg(?:ery|eries|ical)\b",
        # what a person's purchases of medicine say about their health
        r"\b(?:medicines?|drugs?|medications?) (?:they|customers|users|patients|people) (?:bought|purchased|ordered)\b",
        r"\b(?:medicine|drug|medication|pharmacy) (?:purchases?|orders?|purchase histor(?:y|ies))\b",
        "购药(?:记录|信息|数据)?", "买药记录", "用药记录",
        # the body's own measurements (wearables, health apps)
        r"\bheart[\s-]?rates?\b", r"\bblood (?:pressure|sugar|glucose|oxygen)\b", r"\bECGs?\b",
        r"\bsleep (?:data|records?|patterns?|tracking|quality)\b", "心率", "心电", "血压", "血糖", "血氧",
        "睡眠(?:数据|记录|监测|质量)", r"\bbody[\s-]?(?:fat|composition|mass index)\b", r"\bBMI\b", "体脂", "体成分",
        "体测(?:数据|报告|结果)",
        # reproductive health, vaccination, infection and care records (GB/T 35273 annex B's examples)
        r"\bpregnan(?:t|cy|cies)\b", r"\bfertility\b", r"\bmenstrua\w*\b", r"\b(?:menstrual|period|cycle) tracking\b",
        r"\bIVF\b", rf"{_NOT_ANIMALS}\b(?:vaccinations?|immuni[sz]ations?|vaccine records?)\b",
        r"\binfectious diseases?\b", r"\b(?:HIV|hepatitis)\b", r"\bnursing (?:records?|notes?)\b",
        r"\bdoctor'?s orders\b", r"\bphysical (?:exam(?:ination)?s?|results?)\b",
        r"\bannual physicals?\b", r"\b(?:therapy|counsell?ing|psychotherapy) (?:notes?|sessions?|records?)\b",
        r"\bpsycholog(?:y|ical) (?:assessments?|tests?|evaluations?|records?)\b",
        "怀孕", "孕期", "孕检", "产检", "生育(?:情况|信息|史)", "月经", "经期", "试管婴儿",
        "(?<!宠物)(?<!犬只)(?<!动物)(?:疫苗接种|接种(?:记录|信息|证明))",
        "传染病", "艾滋", "乙肝", "护理记录", "医嘱")),
    ("genetic", rx(r"\bgen(?:e|es|etic|ome|omic)\b", r"\bDNA\b", r"\bsequencing\b", r"\b(?:whole[\s-])?exome\b",
                   "基因", "遗传", "测序", "外显子")),
    ("biometric", rx(
        r"\bbiometrics?\b", r"\bfinger[\s-]?prints?\b", r"\biris\b", r"\bretina(?:l)?\b", r"\bvoice[\s-]?prints?\b",
        r"\bfacial\b", r"\bface[\s-]*(?:recognition|data|scans?|templates?|ids?|images?|photos?|prints?|geometry)\b",
        r"\bpalm[\s-]*(?:prints?|veins?)\b", r"\bgait\b", r"\bselfies?\b",
        "人脸", "面部(?:识别|特征|信息|数据|图像)", "刷脸", "指纹", "虹膜", "视网膜", "声纹", "掌纹", "掌静脉", "步态",
        "生物识别", "生物特征")),
    ("financial_account", rx(
        r"\bbank[\s-]*(?:cards?|accounts?|accts?|a/cs?|details|statements?)\b",
        r"\b(?:credit|debit|payment)[\s-]*cards?\b" + _NOT_OF_PEOPLE_EN,
        r"\b(?:card|account|salary) statements?\b", r"\bstatements of [\d,]* ?account holders\b",
        r"\bproof of (?:funds|deposits?|assets)\b", r"\bprovident fund (?:contribution )?(?:records?|accounts?)\b",
        r"\bfinancial[\s-]*accounts?\b", r"\bIBANs?\b", r"\bsecurities accounts?\b",
        r"(?<!user )(?<!player )(?<!game )(?<!e-mail )(?<!email )"
        r"\baccounts? (?:and transactions? )?(?:data|numbers?|details|balances?|statements?|information|records)\b",
        r"\btransactions? (?:data|history|histories|records|details|logs?)\b",
        r"(?<!user )(?<!player )(?<!game )(?<!login )\baccount histor(?:y|ies)\b",
        r"\bpayment (?:records|histor(?:y|ies)|accounts?)\b",
        r"(?<!ID )(?<!SIM )(?<!loyalty )(?<!membership )(?<!member )(?<!business )(?<!library )\bcard numbers?\b",
        r"\bcredit (?:reports?|histor(?:y|ies)|records?|scores?)\b", r"\bloan (?:records?|histor(?:y|ies))\b",
        "银行卡" + _NOT_OF_PEOPLE_ZH, "银行账[户号]",
        "(?:银行|扣款|代扣|付款|还款)(?:(?!医院|公司|企业|单位|对公|机构)[^，。；,;、]){0,4}账[户号]",
        "金融账户", "信用卡" + _NOT_OF_PEOPLE_ZH, "借记卡" + _NOT_OF_PEOPLE_ZH, "(?:存款|资产)证明",
        "(?:收入|工资)流水",
        "公积金(?:缴存)?(?:记录|明细|账户)", "支付账[户号]", "(?:支付宝|微信支付|PayPal)账[户号]",
        "资金账户", "证券账户", "工资卡",
        "账户(?:信息|数据|资料|和交易|及交易|交易)", "交易(?:数据|记录|流水|明细)",
        "(?:银行|资金|账户|信用卡|刷卡|消费)流水",
        "(?:汇款人|收款人|付款人)[^,.;，。；]{0,10}账号", "卡号", "征信", "信贷记录", "存款信息",
        # debts, deposits and virtual property (GB/T 35273 annex B's property information)
        r"\b(?:loan|debt|repayment|borrowing|deposit)s? (?:repayment )?(?:records?|histor(?:y|ies)|details|balances?|"
        r"status)\b", r"\brepayment (?:plans?|schedules?)\b", r"\b(?:crypto|virtual) (?:wallets?|currency holdings)\b",
        r"\bwallet addresses\b",
        "(?:借款|还款|贷款|欠款|负债)(?:记录|信息|情况|明细|数据)", "存款(?:记录|余额|明细)", "虚拟货币", "钱包地址")),
    ("location", rx(
        r"\blocations?[\s-]*(?:data|information|info|tracks?|history|records?|traces?)\b",
        r"\b(?:precise|exact|real[\s-]?time|live|GPS) locations?\b", r"\bGPS\b", r"\bgeo-?locations?\b",
        r"\btrajector(?:y|ies)\b", r"\bwhereabouts\b", r"\b(?:coordinates|latitude|longitude)\b",
        r"\b(?:pick-?up|drop-?off) (?:points?|locations?|addresses)\b",
        r"\b(?:trip|ride|travel) (?:histor(?:y|ies)|records?|logs?)\b",
        r"\bmovement (?:tracks?|histor(?:y|ies)|data)\b",
        "行踪", "轨迹", "位置(?:信息|数据)", "实时位置", "精[准确]位置", "精[准确]定位", "车辆位置", "定位",
        "经纬度", "GPS", "坐标", "(?:上|下)车(?:点|地点|位置)", "出行(?:记录|数据)", "行程(?:记录|数据)")),
    ("minor_under_14", rx(
        # the age itself
        r"\bunder(?: the age of)?[\s-]1[0-4]s?\b(?!\d|[,.]\d|\s*(?:万|千|亿)|\s*[wkm]\b)",
        r"\b(?:[1-9]|1[0-3])[\s-]years?[\s-]olds?\b",
        "(?:不满|未满|不到|小于|低于)(?:十四|14)周?岁", "(?:十四|14)(?:周岁|岁)以下",
        "(?<!\\d)(?:[1-9]|1[0-3]|[一二三四五六七八九十]|十[一二三])周?岁(?:及)?以下",
        "(?:[1-9]|1[0-3]|[一二三四五六七八九十]|十[一二三])(?:周)?岁"
        "(?:以下|以内)?(?:的)?(?:孩子|儿童|学生|小朋友|用户|幼儿)",
        # children by name
        r"\bchild(?:ren)?(?:'s)?\b", r"\bkids?\b", r"\bminors?\b", r"\b(?:infants?|babies|baby|toddlers?|newborns?)\b",
        "儿童", "未成年", "婴幼儿", "婴儿", "幼儿", "孩子", "小朋友", "新生儿",
        # children by the school they attend (kindergarten, primary school, the first year of junior high)
        r"\bkindergartens?\b", r"\bpre-?schools?\b", r"\bnursery (?:schools?|children|kids)\b",
        r"\b(?:primary|elementary|grade) school(?:ers|s)?\b", r"\bpupils?\b",
        r"\b(?:1st|2nd|3rd|[4-6]th|first|second|third|fourth|fifth|sixth)[\s-]graders?\b",
        "幼儿园", "托儿所", "托育", "早教", "学前", "小学", "初一", "七年级",
        "(?:[一二三四五六1-6])年级(?:的)?(?:学生|孩子|小朋友)")),
    ("identity_document", rx(
        r"(?<!student )(?<!employee )(?<!staff )(?<!member )(?<!user )(?<!customer )(?<!patient )(?<!internal )"
        r"(?<!order )(?<!device )\bID[\s-]*(?:cards?|numbers?|documents?|copies|cop(?:y|ies) of|scans?)\b",
        r"\bidentity[\s-]*(?:cards?|documents?|numbers?|papers?)\b", r"\bpassports?\b", r"\bnational ID\b",
        r"\bvisas?\b(?![\s-]*(?:cards?|debit|credit))", r"\bdriver'?s? licen[cs]es?\b", r"\bdriving licen[cs]es?\b",
        r"\bresidence permits?\b", r"\bsocial security (?:cards?|numbers?)\b", r"\bSSNs?\b",
        "身份证(?!号?(?:的)?(?:后|末|尾)[四4六6]位|尾号)",  # not the last digits of one
        "护照", "证件号", "证件(?:信息|照片|复印件|扫描件)", "签证", "驾驶证", "驾照", "居住证", "社保卡",
        "港澳通行证", "台胞证", "军官证")),
    ("religion", rx(r"\breligio(?:n|ns|us)\b", "宗教", "信仰")),
    ("specific_identity", rx(r"\bspecific identit(?:y|ies)\b", "特定身份")),
    # Other kinds the contract or the rule packs name.
("contact", rx(r"\bcontact(?:\s+(?:details|information|info|data|lists?))?\b",
                   r"\b(?:tele)?phones?(?:\s+numbers?)?\b",
                    r"\bmobile(?:\s+(?:phone\s+)?numbers?|\s+phones?|(?=\s*[,/)]|\s+(?:and|&)\s))",
                    r"\be-?mails?\b(?!\s+(?:system|server|client|app|platform|service|provider|tool|software|domain)s?\b)",
                    r"\bnames\b",
                    r"\bname(?=\s*[,/)]|\s+(?:and|&)\s)",
                    r"\b(?:home|postal|mailing|delivery|shipping|residential)\s+address(?:es)?\b", r"\baddresses\b",
                    r"\b(?:mailing|member(?:ship)?|customer|client|subscriber|contact) lists?\b",
                    r"\bbusiness cards?\b", r"\b(?:consignee|recipient|addressee|shipping|delivery) (?:details|info)\b",
                    "联系方式", "名片", "(?:收件|收货|寄件|发件)(?:人)?(?:的)?(?:信息|资料)",
                    "手机号", "电话", "邮箱", "电子邮件", "姓名", "(?<!注册)(?<!办公)地址",
                    "(?:客户|会员|用户|学员|联系人|通讯)(?:名单|通讯录)", "联系人(?:信息|资料|的信息)", "通讯录")),
    ("employee", rx(r"\bemployees?\b", r"\bstaff\b",
                    # HR data, not the HR exemption, department or its people
                    r"\bHR\b(?! (?:exemption|exception|management|manager|department|dept|team|director|head|lead)\b)",
                    r"\bhuman resources?\b(?! (?:exemption|exception|management|manager|department|team)\b)",
                    r"\bpayroll\b",
                     r"\bpersonnel\b", "员工", "雇员", "职工", "人力资源", "薪资", "工资", "人事")),
    ("account_profile", rx(r"\b(?:account|user) profiles?\b", "账号信息", "用户画像",
                           # identifiers of a person's device and what they like, used to profile them
                           r"\b(?:device|advertising|ad) IDs?\b", r"\b(?-i:IDFA|OAID|GAID)s?\b",
                           r"\b(?:reading|browsing|content|interest) (?:preferences|tags|interests)\b",
                           "设备号", "设备(?:ID|标识)", "广告标识", "(?:阅读|浏览|兴趣)偏好", "兴趣标签")),
    ("ota_upgrade", rx(r"\bOTA\b", r"\bover[\s-]the[\s-]air\b", r"\bonline upgrades?\b", r"\bremote(?:ly)? upgrad",
                        r"\bfirmware updates?\b", "在线升级", "远程升级")),
    ("vehicle_exterior_video", rx(
        r"\b(?:exterior|external|outside|surround|road|dash)[\s-]*(?:cam(?:era)?s?|videos?|footage|images?)\b",
        r"\b(?:cameras?|videos?|footage|images?)\b[\w\s]{0,20}\boutside (?:the|our|a|its|their) (?:[\w-]+ )?"
        r"(?:vehicles?|cars?)\b",
        r"\b(?:cameras?|camera footage|videos?|footage|images?)\b[\w\s]{0,20}\b(?:of|on) (?:the |public )?(?:[\w-]+ )?"
        r"(?:streets?|roads?|traffic)\b",
        r"\bdash[\s-]?cams?\b", "车外(?:视频|图像|影像|摄像)", "行车记录仪", "(?:道路|街道|街景)(?:视频|图像|影像)",
        r"\b(?:road[\s-]tests?|test[\s-]drives?|test[\s-]drive|driving)[\s-]*(?:videos?|footage|clips|recordings|images?)\b",
        r"\b(?:outward|forward|front|rear|surround)[\s-]?(?:facing|view) cam(?:era)?s?\b",
        r"\bcam(?:era)?s? (?:face|faces|facing|point|points|pointed|pointing) (?:out|outwards?|forward|at the road)\b",
        r"\b(?:videos?|footage|clips|images?|recordings)\b[\w\s-]{0,20}\bfrom (?:our |the |its |their )?(?:\d+ )?"
        r"(?:[\w-]+ )?(?:cars|vehicles|fleet)\b",
        "路测(?:视频|数据|影像|图像)", "(?:车载|前视|环视|外置)摄像头",
        "(?:测试车|车辆|车队)[^，。,；;]{0,6}(?:拍摄|采集|录制)的?(?:视频|图像|影像)")),
    ("military_area_geo", rx(r"\bmilitary (?:zones?|sites?|bases?|areas?|facilities)\b", "军事管理区",
                             "军事(?:区|设施|单位)")),
    ("vehicle_logistics_flow", rx(r"\b(?:vehicle|traffic|logistics) flows?\b", "车流", "物流流量", "车辆流量")),
    ("charging_network_ops", rx(r"\bcharging (?:network|piles?|stations?)\b", "充电网络", "充电桩")),
    ("connected_vehicle_service", rx(r"\bconnected[\s-]vehicles?\b", r"\btelematics\b", r"\bremote control\b",
                                     r"\bvehicle operating (?:status|conditions?)\b", "车联网", "远程控制",
                                     "车辆运行状态")),
    ("ecu_after_sales", rx(r"\bECUs?\b", r"\belectronic control units?\b", "电子控制单元")),
    ("supply_chain_attack", rx(r"\bsupply[\s-]chain attacks?\b", r"\battack(?:ing)? (?:the )?supply chains?\b",
                                "供应链攻击", "攻击供应链")),
)  # fmt: skip
"""Data kinds, in the contract's order then the pack's; every match adds the kind unless negated."""

OTHER_PERSONAL = rx(
    r"\bchat (?:logs?|histor(?:y|ies)|records?|messages?)\b",
    r"\bconversation (?:logs?|records?|histor(?:y|ies)|data)\b",
    r"\b(?:purchase|order|shopping|browsing|search|viewing) histor(?:y|ies)\b", r"\b(?:purchase|order)s? records?\b",
    r"\b(?:reservation|booking) (?:details|data|information|records?)\b", r"\breservations\b", r"\bCVs?\b",
    r"\br[eé]sum[eé]s?\b", r"\blearning (?:records?|data|profiles?)\b", r"\bnicknames?\b", r"\btier status\b",
    r"\bloyalty (?:status|points)\b", r"\bprofiles?\b", r"\bpublic posts\b", r"\bdevice (?:types?|models?)\b",
    "聊天记录", "对话记录", "消费记录", "购买记录", "购物记录", "浏览记录", "订单(?:信息|记录)?", "预订(?:信息|记录)",
    "简历", "学习(?:档案|记录|数据)", "昵称", "会员等级", "设备型号", "发帖", "账号资料",
)  # fmt: skip
"""Personal information that is not sensitive and has no kind of its own (chat logs, purchase history, CVs)."""

NO_PERSONAL_INFO = rx(
    r"\b(?:no|without|not any|doesn't (?:include|contain|involve)|does not (?:include|contain|involve)|not include|"
    r"not contain|not involve|free of)\s+(?:any\s+)?personal (?:information|info|data)\b",
    r"\b(?:none of (?:it|them|this|these|that)|nothing (?:in (?:it|them|there) )?)\s+(?:is|are|contains?|includes?)\s+"
    r"(?:any\s+)?personal (?:information|info|data)\b",
    r"\b(?:no|without|not any)\s+(?:[\w' -]{0,40}?\b(?:or|nor)\s+)?(?:any\s+)?(?:individual|person|people)(?:'s|s'|s)?"
    r"\s+(?:details|data|information|info)\b",
    "(?:不含|不包含|不涉及|没有|无)(?:任何)?(?:自然人|个人)(?:的)?(?:信息|数据|资料)",
    r"\bno (?:person|individual|people|one|body)(?:'s|s')? (?:names?|contact details|phones?|details)\b"
    r"(?:[\w ,]{0,20}\b(?:anywhere|at all|in (?:it|them|there)))?",
    "(?:没有|不含|不包含|没有任何)(?:任何)?(?:个人|人员|自然人)(?:的)?(?:姓名|名字|联系方式|电话)",
    r"\b(?:fully |completely |entirely )?(?:anonymous|anonymi[sz]ed|aggregated?)\b[\w\s,-]{0,40}?"
    r"\b(?:statistics|stats|figures|totals|data|reports?|tables?|datasets?|data sets?|results|answers|responses|"
    r"findings|summar(?:y|ies))\b",
    r"\bnothing (?:that )?(?:could |can |would |will )?identif(?:y|ies) (?:anyone|anybody|a person|individuals?|"
    r"people)\b",
    r"\b(?:cannot|can't|can ?not|could not|couldn't)\s+be\s+(?:re-?identified|traced back|linked back)\b",
    r"\b(?:nobody|no one|no individual)\s+can\s+be\s+(?:re-?)?identified\b",
    "(?<!有)(?:不含|不包含|不涉及|没有|无|不包括)(?:任何)?个人信息",
    r"\b(?:zero|nil|0) (?:personal|PI|personally identifiable) (?:data|info|information)\b",
    r"\b(?:zero|nil) PI\b",
    r"\bno (?:names|details|data) of (?:any )?(?:people|persons|individuals|natural persons)\b",
    "零个人信息",
    # no data of any people ("no customer data", "不含患者信息")
    rf"\b(?:no|without|not any)\s+(?:any\s+)?(?:{PEOPLE_EN})(?:'s|s')?\s+"
    r"(?:data|info|information|details|records|names|PII)\b",
    f"(?:不含|不包含|不涉及|没有|无|不带)(?:任何)?(?:{PEOPLE_ZH})(?:的)?(?:个人)?(?:信息|数据|资料|姓名)",
    "(?:一个)?人名(?:都|也)没有|(?:没有|不含|不带)(?:任何|一个)?人名",
    "纯(?:设备|机器|机台|技术|生产|工艺|工业|产线)(?:的)?(?:数据|参数)",
    r"\b(?:purely|pure|only) (?:machine|equipment|device|technical|production|sensor|process) (?:data|parameters)\b",
    r"\b(?:machine|equipment|device|sensor) data only\b",
    r"\bnot a single (?:person's )?name\b",
    r"\b(?:(?:companies|firms|businesses|legal entities) only|no (?:individuals|natural persons))\b",
    "(?:只有|仅有|仅为|只是)(?:公司|企业|单位|法人)(?:的)?(?:名称|名字)|不涉及(?:任何)?(?:自然人|个人)",
    # between companies only, no individual in it
    "(?:都是|全是|只是|纯|全部是)(?:公司对公司|企业对企业|企业之间|公司之间)",
    r"\b(?:purely |strictly |only )?(?:company|business)[\s-]to[\s-](?:company|business)(?: only)?\b"
    r"(?!\s+(?:customers|sales))",
    "(?:无法|不能|不可能?)(?:被)?(?:重新)?(?:识别|复原|还原|追溯)(?:到|出)?(?:特定)?(?:个人|自然人|患者|本人)",
    "(?:已|经过|做了)?(?:完全)?匿名化(?:处理)?(?:的|后的)?(?:数据|信息|资料)",
    "(?:匿名|汇总)(?:化)?(?:的|后的)?[^,.;，。；]{0,12}统计",
    "(?:不给|不提供|不传|不含|不包含|没有)(?:任何)?(?:个人|个体)(?:的)?明细",
    "(?:只要|只给|只传|只提供|仅提供)(?:的是)?汇总(?:数|数据|结果|后的数)",
)
"""Nothing personal: stated outright, anonymous or aggregated statistics, or data that cannot identify anyone
and cannot be restored (anonymised, PIPL art 73(4), which is not personal information, art 4)."""

_NO_SENSITIVE = rx(
    r"\b(?:no|without|not any|not include|not contain|not involve|nothing|none)\s+(?:of it\s+)?(?:any\s+)?"
    r"(?:\w+\s+)?sensitive\b",
    r"\b(?:is|are)(?: not|n't)(?: \w+)? sensitive\b",
    r"\b(?:is|are|it's|all|only|just|purely|entirely)\s+(?:\w+\s+)?non-?sensitive\b",
    r"\b(?:strip|stripped|strips|remove[ds]?|scrub(?:bed|s)?|redact(?:ed|s)?|delete[ds]?|filter(?:ed|s)? out)\s+"
    r"(?:out\s+)?(?:all\s+|any(?:thing)?\s+|every(?:thing)?\s+|the\s+)?sensitive\b",
    r"\bsensitive\b[\w\s]{0,20}\b(?:stripped|removed|scrubbed|redacted|deleted|filtered out)\b",
    "(?<!有)(?:不含|不包含|不涉及|没有|无|不包括)(?:任何)?敏感",
    "(?:都|全|均|也|并|全部|全都)(?:不|不算|不属于|不是)敏感",
    "(?:都|全|均|只有|仅有|全部|全都)(?:是|为|属于)?非敏感",
    "敏感(?:个人)?(?:内容|信息|数据|字段)[^,.;，。；]{0,10}(?:清洗|删除|去除|剔除|脱敏|过滤|删掉|去掉)",
    "(?:清洗|删除|去除|剔除|过滤|删掉|去掉)(?:掉)?(?:了)?(?:所有|全部)?(?:的)?敏感",
)


class _Statement:
    """A pattern whose matches count only as statements: not asked, and not undone by an "except" naming a
    sensitive kind ("everything except the fingerprints is non-sensitive" says the fingerprints are sensitive)."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    def search(self, text: str) -> re.Match[str] | None:
        """The first match that states the absence, or None."""
        for m in self.pattern.finditer(text):
            if asked(text, m.start(), m.end()):
                continue
            start, end = clause_of(text, m.start(), m.end())
            sentence = text[max(0, start - 60) : min(len(text), end + 60)]
            if _excepts_sensitive(sentence):
                continue
            return m
        return None


def _excepts_sensitive(sentence: str) -> bool:
    """Whether the sentence names a sensitive kind as the exception ("except the fingerprints", "除了指纹以外")."""
    for kind, pattern in KIND_PATTERNS:
        if kind not in SENSITIVE_KINDS:
            continue
        for m in pattern.finditer(sentence):
            excepted = EXCEPT.search(sentence[max(0, m.start() - 30) : m.start()])
            if excepted and not negated(sentence, m.start(), m.end()):
                return True
    return False


NO_SENSITIVE_INFO = _Statement(_NO_SENSITIVE)
"""No sensitive personal information: stated outright or removed before the transfer (`.search(text)`)."""

SUBJECT_PATTERNS: tuple[tuple[DataSubject, re.Pattern[str]], ...] = (
    ("employees", rx(r"\bemployees?'?\b", r"\bstaff\b", r"\bworkforce\b", r"\bpersonnel\b", r"\bHR\b", r"\bpayroll\b",
                     r"\bhuman resources?\b", "员工", "雇员", "职工", "人事", "人力资源", "工资", "薪资", "薪酬")),
    ("trial_subjects", rx(r"\btrial (?:subjects|participants|patients|volunteers)\b",
                          r"\b(?:study|research) (?:subjects|participants|volunteers)\b",
                          r"\bsubjects (?:enrolled|in (?:the|our) (?:trial|study))\b", r"\benrolled subjects\b",
                          "受试者", "试验参与者", "入组")),
    ("patients", rx(r"\bpatients?'?\b", r"\bpts\b", "患者", "病人", "病患", "就诊者", "就医")),
    ("minors", rx(r"\bchild(?:ren)?(?:'s)?\b", r"\bkids?'?\b", r"\bminors?'?\b", r"\bpupils?\b",
                  r"\b(?:infants?|babies|toddlers?)\b", r"\bkindergartens?\b", r"\b(?:primary|elementary) school",
                  "儿童", "未成年", "婴幼儿", "幼儿", "孩子", "小朋友", "(?:小学|初一|[一二三四五六]年级)(?:学)?生?",
                  "幼儿园", "学龄前")),
    ("business_contacts", rx(r"\bbusiness (?:contacts?|partners?' contacts?|cards?)\b",
                             r"\b(?:supplier|vendor|distributor|dealer|partner|client) contacts?\b",
                             r"\bcontact persons? (?:at|of) (?:our )?(?:suppliers?|vendors?|distributors?|dealers?|"
                             r"partners?|clients?)\b", r"\bsales leads\b", r"\bB2B contacts?\b",
                             "商务联系人", "业务联系人", "供应商(?:的)?联系人", "经销商(?:的)?联系人",
                             "合作伙伴(?:的)?联系人",
                             "客户(?:企业|公司)?(?:的)?联系人", "对接人", "名片")),
    ("customers", rx(r"\bcustomers?'?\b", r"\bclients?'?\b(?! contacts?)", r"\bconsumers?\b", r"\bshoppers?\b",
                     r"\bbuyers?\b", r"\bguests?\b", r"\bpassengers?\b", r"\bpax\b", r"\btravell?ers?\b",
                     r"\bpolicy ?holders?\b", r"\bcard ?holders?\b", r"\baccount ?holders?\b", r"\bborrowers?\b",
                     r"(?<!family )(?<!staff )(?<!team )(?<!board )(?<!crew )\bmembers?\b", r"\bcar owners?\b",
                     r"\bvehicle owners?\b",
                     r"\b(?:senders?|recipients?|consignees?) of (?:the |our )?(?:parcels?|packages?|shipments?)\b",
                     r"\bremitters?\b", r"\bpayees?\b",
                     "客户(?!企业|公司|联系人)", "顾客", "消费者", "买家", "会员", "旅客", "乘客", "住客", "入住人",
                     "客人",
                     "投保人", "被保险人", "持卡人", "借款人", "车主", "寄件人", "收件人", "收货人", "汇款人", "收款人",
                     "付款人", "订户")),
    ("users", rx(r"\busers?'?\b", r"\bplayers?\b", r"\bgamers?\b", r"\bsubscribers?\b", r"\bapp users?\b",
                 "用户", "玩家", "粉丝", "注册者")),
    ("other", rx(r"\bresidents?\b", r"\bcitizens?\b", r"\bvisitors?\b", r"\btourists?\b", r"\b(?:job )?applicants?\b",
                 r"\bcandidates?\b", r"\bstudents?\b", r"\blearners?\b", r"\bvolunteers?\b", r"\bdonors?\b",
                 "居民", "市民", "群众", "访客", "游客", "求职者", "应聘者", "候选人", "学员", "学生", "志愿者",
                 "献血者")),
)  # fmt: skip
"""Whose personal information it is, by the words naming the people (the contract's `DataSubject` values)."""


_DATA_AFTER = words(
    r"(?:'s|s'|')?\s*(?:own\s+)?(?:[\w-]+\s+){0,2}?(?:data|information|info|records?|details|files?|names?|e-?mails?|"
    r"addresses|phones?|numbers?|profiles?|histor(?:y|ies)|logs?|accounts?|IDs?|passports?|photos?|images?|CVs?|"
    r"results?|reports?|PII|PI|contacts?|messages?|orders?|bookings?|reservations?|transactions?|faces?|"
    r"fingerprints?|scans?|forms?|questionnaires?|surveys?|responses|answers|samples?|scores?|grades?|homework)\b"
    r"|的(?!时候|话|要求|需求|公司|企业|单位|同意)"
    r"|[^，。；,;.]{0,8}?(?:信息|数据|资料|记录|档案|名单|姓名|手机|电话|邮箱|邮件|地址|照片|病历|身份证|护照|简历|"
    r"工资|薪资|账号|账户|订单|成绩|人脸|指纹|联系方式|个人)"
)
_DATA_BEFORE = words(
    r"(?:data|information|info|records?|details|files?|PII|PI)\s+(?:of|about|on|for|from|relating to|concerning)\s+"
    r"(?:[\w,'-]+\s+){0,4}?$"
)
_COUNT_BEFORE = words(
    r"(?:\d[\d,.]*\s*(?:k|m|million|thousand|hundred)?|[一二三四五六七八九十百千万两几]+|数[十百千万])\s*"
    r"(?:万|千|百|亿)?\s*(?:名|位|个|例|余名|多名)?\s*(?:(?:of|of our|of the|our|adult|young|[\w-]+)\s+)?$"
)
_DATA_WORDS = rx(r"\bHR\b", r"\bpayroll\b", r"\bhuman resources?\b", "人事", "人力资源", "工资", "薪资", "薪酬")
"""Words that are the data themselves: naming them names whose data it is."""


def _about_data(text: str, m: re.Match[str], subject: str) -> bool:
    """Whether the people named are those the data is about: "patients' records", "data of 300 users", "员工的工资"."""
    if _DATA_WORDS.fullmatch(m.group(0)):
        return True
    before = text[max(0, m.start() - 40) : m.start()]
    if _COUNT_BEFORE.search(before) or _DATA_BEFORE.search(before):
        return True
    return bool(_DATA_AFTER.match(text, m.end(), min(len(text), m.end() + 40)))


_USUAL_SUBJECTS = frozenset({"customers", "users", "patients", "trial_subjects", "minors"})
"""People a processor rarely names except as whose data it is: named anywhere in a sentence about personal data,
they are its subjects. Employees and others are named in other roles too ("our staff will access …")."""

_TRIAL_CONTEXT = rx(r"\b(?:trials?|stud(?:y|ies)|clinical|enrol(?:l)?ed|enrol(?:l)?ment)\b", "试验", "临床", "入组")
_BARE_SUBJECTS = rx(r"\bsubjects'?\b")
"""'Subjects' alone: trial subjects in a message about a trial."""

_SENTENCE = re.compile(r"[^.!?。！？\n]+")


def read_subjects(text: str) -> dict[DataSubject, str]:
    """Whose data the text names ("40,000 patients", "员工的工资", "our users"), each with its words; not negated.

    Trial subjects are patients too in a trial, so "trial patients" names trial subjects only; students of a
    primary school or kindergarten are minors, not "other".
    """
    found: dict[DataSubject, str] = {}
    taken: list[tuple[int, int]] = []
    personal: list[tuple[int, int]] | None = None  # sentences naming personal data, found when first needed
    for subject, pattern in SUBJECT_PATTERNS:
        for m in pattern.finditer(text):
            if any(s <= m.start() < e or s < m.end() <= e for s, e in taken):
                continue
            if negated(text, m.start(), m.end()):
                continue
            if not _about_data(text, m, subject):
                if subject not in _USUAL_SUBJECTS:
                    continue
                if personal is None:
                    personal = [(p.start(), p.end()) for p in _SENTENCE.finditer(text) if _names_personal_data(p[0])]
                if not any(s <= m.start() < e for s, e in personal):
                    continue
            taken.append((m.start(), m.end()))
            found.setdefault(subject, m.group(0))
    if "trial_subjects" not in found and _TRIAL_CONTEXT.search(text):
        bare = next((m for m in _BARE_SUBJECTS.finditer(text) if not negated(text, m.start(), m.end())), None)
        if bare is not None:
            found["trial_subjects"] = bare.group(0)
    return found


def _names_personal_data(sentence: str) -> bool:
    """Whether a sentence names personal data: a kind of personal information, or other personal records."""
    kinds = (p for k, p in KIND_PATTERNS if k in _PERSONAL_KINDS)
    return any(p.search(sentence) for p in kinds) or bool(OTHER_PERSONAL.search(sentence))


_PERSONAL_KINDS = frozenset(SENSITIVE_KINDS) - {"minor_under_14"} | {"contact", "account_profile"}
"""Kinds that are someone's personal data (children's words name the people, not their data)."""


_TRAVEL = rx(r"\btravel\w*", r"\bbook(?:ing|ings|ed)\b", r"\bhotels?\b", r"\bflights?\b", r"\btrips?\b", "旅游", "旅行",
             "订票", "酒店", "机票", "民宿")  # fmt: skip
"""OTA as an online travel agency rather than an over-the-air upgrade."""


@dataclass
class KindsFound:
    """The data kinds a text states, those it states are absent, and whether it names other personal data."""

    stated: dict[str, str] = field(default_factory=dict)
    absent: dict[str, str] = field(default_factory=dict)
    other_personal: str | None = None
    possible: dict[str, str] = field(default_factory=dict)
    """Kinds the person thinks may be there ("可能有不满14岁的玩家", "there might be a few kids")."""


_CLASSED = re.compile(
    r"(?:不是|并不是|又不是|也不是|并非|不算|不属于|\b(?:is|are|was|were)\s*(?:n't|\s+not)\s+(?:an?\s+|the\s+)?"
    r"|\bnot\s+(?:an?\s+|the\s+)?)[^，。,.;；]{0,6}$",
    re.IGNORECASE,
)
"""A denial of what the data is called ("心率又不是病历", "it's not medical data"), not of what is sent: an opinion
on the rules, which does not take away a kind the same message states in other words."""


_SENTENCE_BREAK = re.compile(r"[。！？!?]|\.(?:\s|$)|\n")


def _sentence_apart(text: str, first: int, later: int) -> bool:
    """Whether two places lie in different sentences (a later sentence may settle what an earlier one said)."""
    return _SENTENCE_BREAK.search(text, first, later) is not None


_AGE_SPAN = words(
    r"\b(?:aged?|ages)(?: between| from)? (?P<low>\d{1,2}) ?(?:to|-|–|and) ?(?P<high>\d{1,2})\b"
    r"(?! ?%|,\d| ?(?:thousand|k\b))"
    r"|\b(?P<low3>\d{1,2}) ?(?:to|-|–) ?(?P<high3>\d{1,2})[\s-]years?[\s-]olds?\b"
    r"|(?<!\d)(?P<low2>\d{1,2}) ?(?:到|至|-|~|～) ?(?P<high2>\d{1,2}) ?周?岁"
)
"""An age range: under 14 throughout, or partly ("aged 6 to 16": how many are under 14 is not said)."""


_COUNTED_BEFORE = re.compile(
    r"\d[\d,.]*\s*(?:k|K|万|千)?\s*(?:of (?:them|these|those) )?(?:are |is |were )?[^\d.;。；]{0,8}$"
)
"""A number just before the kind: "perhaps 300 are kids" doubts how many, not whether."""


_ACCOUNT_WORDS = re.compile(
    r"(?:accounts?|transactions?|账户|交易)(?!\s*(?:and|和|及)?\s*(?:transactions?|交易))", re.I
)
"""Words of accounts or transactions, which are financial only where money is handled (accounts with their
transactions are a financial account's records anywhere)."""
MONEY_CONTEXT = rx(
    r"\bbank", r"\bfinanc", r"\b(?:credit|debit|payment|bank) cards?\b", r"\bsecurities\b", r"\bbrokerage\b",
    r"\bfunds?\b", r"\bloans?\b", r"\bcredit (?:scores?|reports?|lines?|limits?|histor(?:y|ies))\b", r"\bfintech\b",
    r"\bremit", r"\bwallets?\b", r"\bpayments?\b", r"\b(?:alipay|wechat ?pay|paypal|apple pay|stripe)\b", r"\binsur",
    r"\bbroker", r"\btrading\b", r"\binvest",
    "银行", "金融", "证券", "基金", "信用卡", "借记卡", "支付", "贷款", "信贷", "券商", "理财", "汇款", "保险",
    "钱包", "资金", "期货", "投资", "征信", "还款",
)  # fmt: skip
"""Words of a business or service that handles money: where account and transaction records are financial."""


def read_kinds(text: str) -> KindsFound:
    """Every data kind stated or stated absent ("no genetic data"), each with its words.

    Data left out ("no ID numbers", "身份证号不传") is absent whatever else the message says; data only said not
    to be of a kind ("heart rate isn't medical data") is absent only when no other words of the message state it.
    """
    found = KindsFound()
    money = any(not negated(text, m.start(), m.end()) for m in MONEY_CONTEXT.finditer(text))
    classed: dict[str, str] = {}
    last_said: dict[str, int] = {}
    last_denied: dict[str, int] = {}
    said_words: dict[str, set[str]] = {}
    denied_words: dict[str, set[str]] = {}
    for kind, pattern in KIND_PATTERNS:
        for m in pattern.finditer(text):
            if kind == "ota_upgrade" and m.group(0).upper() == "OTA" and _TRAVEL.search(text):
                continue
            if kind == "financial_account" and _ACCOUNT_WORDS.match(m.group(0)) and not money:
                continue  # a shop's transaction log or a telecom's account records: not a financial account
            if doubted(text, m.start()) and not _COUNTED_BEFORE.search(text, max(0, m.start() - 24), m.start()):
                if unsure(text, m.start()):
                    found.possible.setdefault(kind, m.group(0))
                continue  # "whether any users are under 14", "有没有身份证号": asked, not described
            if not negated(text, m.start(), m.end()):
                found.stated.setdefault(kind, m.group(0))
                last_said[kind] = m.start()
                said_words.setdefault(kind, set()).add(m.group(0).lower())
            elif _CLASSED.search(text, max(0, m.start() - 16), m.start()):
                classed.setdefault(kind, m.group(0))
            else:
                found.absent.setdefault(kind, m.group(0))
                last_denied[kind] = m.start()
                denied_words.setdefault(kind, set()).add(m.group(0).lower())
    for kind, at in last_said.items():  # a long text's last word on a kind decides: "… in the end we send X too"
        if kind in last_denied and at > last_denied[kind] and _sentence_apart(text, last_denied[kind], at):
            found.absent.pop(kind)
        elif kind in found.absent and kind not in SENSITIVE_KINDS and said_words[kind] - denied_words[kind]:
            found.absent.pop(kind)  # "name, work phone, work e-mail; no private addresses": one field left out
    for kind, said in classed.items():
        if kind not in found.stated:
            found.absent.setdefault(kind, said)
    for m in _AGE_SPAN.finditer(text):  # "aged 6 to 16": children under 14 among them, or all of them
        low = int(m.group("low") or m.group("low2") or m.group("low3"))
        high = int(m.group("high") or m.group("high2") or m.group("high3"))
        if low < 14 < high and "minor_under_14" not in found.absent:
            found.possible.setdefault("minor_under_14", m.group(0))
        elif low < high < 14:
            found.stated.setdefault("minor_under_14", m.group(0))
    if "vehicle_exterior_video" in found.stated:
        found.stated.pop("biometric", None)  # faces in exterior video are that kind, not biometric data
    for kind in found.absent:
        found.stated.pop(kind, None)
    other = next((m for m in OTHER_PERSONAL.finditer(text) if not negated(text, m.start(), m.end())), None)
    found.other_personal = other.group(0) if other else None
    return found

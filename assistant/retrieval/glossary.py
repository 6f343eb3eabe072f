"""A small bilingual glossary of the legal terms of Chinese data-export law, for lexical search.

Each term is one concept with its English and Chinese surface forms: abbreviations (CIIO, SCC, 关基,
安评), the statutory wording and the plain words people use for it. The tokenizer turns every form
it finds into one concept token, in passages and queries alike, so "CIIO", "critical information
infrastructure operator" and "关键信息基础设施运营者" all match each other, across the two
languages. Chinese forms are also added to jieba's dictionary, so they stay single words.

Forms are written lowercase; English forms match whole words (a trailing "s" or "es" is allowed),
Chinese forms match anywhere. Keep forms specific: a form that is an everyday word would tie
unrelated passages together.
"""

from __future__ import annotations

from typing import NamedTuple


class Term(NamedTuple):
    """One concept: its id, English and Chinese surface forms, and the broader concepts it implies."""

    concept: str
    en: tuple[str, ...]
    zh: tuple[str, ...]
    broader: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    """Short forms (also matched) that a query's dense embedding gets spelled out: the first English
    and the first Chinese form are added to the query, since the embedding model may not know them."""


TERMS: tuple[Term, ...] = (
    # The three export mechanisms and their procedures.
    Term(
        "security-assessment",
        ("security assessment", "data export security assessment", "outbound security assessment"),
        ("安全评估", "出境安全评估", "数据出境安全评估"),
        abbreviations=("sa", "安评"),
    ),
    Term(
        "standard-contract",
        ("standard contract", "standard contractual clauses", "model contract"),
        ("标准合同", "个人信息出境标准合同"),
        abbreviations=("scc", "china scc"),
    ),
    Term(
        "certification",
        ("certification", "certify", "certified", "certificate", "certifying"),
        ("认证", "个人信息保护认证", "出境认证", "认证证书"),
    ),
    Term("certification-body", ("certification body", "certification bodies", "certifier"), ("认证机构",)),
    Term(
        "impact-assessment",
        ("personal information protection impact assessment", "impact assessment"),
        ("个人信息保护影响评估", "影响评估"),
        abbreviations=("pia", "pipia", "dpia"),
    ),
    Term(
        "self-assessment",
        ("self-assessment", "self assessment", "risk self-assessment", "self-assess"),
        ("自评估", "风险自评估"),
    ),
    Term("re-review", ("re-review", "reassessment", "re-assessment", "appeal", "objection"), ("复评", "异议")),
    Term("filing", ("record-filing", "filing", "filings"), ("备案",)),
    Term("filing-number", ("filing number",), ("备案编号",)),
    Term("declaration", ("declare", "declaration", "declaring"), ("申报",)),
    Term("working-days", ("working day", "business day"), ("工作日",)),
    Term("validity", ("validity", "valid for", "validity period", "expiry", "expire", "expires"), ("有效期",)),
    Term("extension", ("extension", "extend", "renew", "renewal"), ("延期", "延长", "续期", "续展")),
    Term(
        "exemption",
        ("exempt", "exemption", "exempted", "waiver", "waived"),
        ("豁免", "免予申报", "免于申报", "免予", "免于"),
    ),
    Term("definition", ("definition", "define", "defined", "meaning"), ("定义", "含义", "是指", "意思", "用语")),
    Term("entry-into-force", ("take effect", "takes effect", "entry into force", "come into force"), ("施行", "生效")),
    # Data and actors.
    Term(
        "personal-information",
        ("personal information", "personal data"),
        ("个人信息", "个人资料", "个人资讯"),
        abbreviations=("pi", "personal info"),
    ),
    Term(
        "sensitive-pi",
        ("sensitive personal information", "sensitive personal data", "sensitive data"),
        ("敏感个人信息", "敏感信息", "敏感数据"),
        broader=("personal-information",),
        abbreviations=("sensitive pi", "spi"),
    ),
    Term("important-data", ("important data",), ("重要数据",)),
    Term("core-data", ("core data",), ("核心数据",)),
    Term(
        "important-data-catalogue",
        ("important data catalogue", "important data catalog", "important-data catalogue", "catalogue", "catalog"),
        ("重要数据目录", "目录"),
    ),
    Term("classification-grading", ("classification and grading", "classified and graded", "graded"), ("分类分级",)),
    Term(
        "ciio",
        (
            "critical information infrastructure operator",
            "critical information infrastructure",
        ),
        ("关键信息基础设施运营者", "关键信息基础设施"),
        abbreviations=("ciio", "cii operator", "cii", "关基运营者", "关基"),
    ),
    Term(
        "cac",
        (
            "cyberspace administration of china",
            "cyberspace administration",
            "cyberspace authority",
            "cyberspace department",
            "cyberspace office",
        ),
        ("国家互联网信息办公室", "国家网信部门", "网信部门", "网信"),
        abbreviations=("cac", "网信办"),
    ),
    Term("provincial", ("provincial", "province"), ("省级", "省网信办")),
    Term(
        "overseas-recipient",
        ("overseas recipient", "foreign recipient", "recipient abroad", "offshore recipient", "receiving party"),
        ("境外接收方", "接收方"),
    ),
    Term(
        "processor",
        ("personal information processor", "data processor", "data handler", "processor", "handler", "controller"),
        ("个人信息处理者", "数据处理者", "网络数据处理者", "处理者"),
    ),
    Term("entrusted-processing", ("entrusted processing", "entrusted party", "outsourcing"), ("委托处理", "受托方")),
    Term(
        "state-organ", ("state organ", "government agency", "government department", "public authority"), ("国家机关",)
    ),
    Term(
        "foreign-authority",
        ("foreign judicial", "law enforcement", "law-enforcement", "subpoena", "foreign court", "court order"),
        ("外国司法", "司法或者执法", "司法或执法", "执法机构", "外国法院"),
    ),
    Term("treaty", ("international treaty", "treaty", "international agreement"), ("国际条约", "条约", "协定")),
    Term("large-platform", ("large network platform", "large platform"), ("大型网络平台",)),
    # Consent, notice, people.
    Term("separate-consent", ("separate consent", "specific consent", "standalone consent"), ("单独同意",)),
    Term("consent", ("consent",), ("同意",)),
    Term("notice", ("inform", "notify", "notice", "notification"), ("告知", "通知")),
    Term("minor", ("minor", "child", "children", "under 14", "under fourteen"), ("未成年人", "不满十四周岁", "儿童")),
    Term("guardian", ("guardian", "parental"), ("监护人", "父母")),
    Term(
        "employee",
        ("employee", "staff", "human resources", "payroll", "personnel", "workforce"),
        ("员工", "人力资源", "人事", "雇员", "职工", "劳动者"),
        abbreviations=("hr",),
    ),
    Term("emergency", ("emergency", "urgent"), ("紧急情况", "紧急")),
    Term(
        "contract-necessity",
        ("perform a contract", "performance of a contract", "conclude or perform", "contract necessity"),
        ("订立、履行", "订立或履行", "履行合同"),
    ),
    # Kinds of sensitive or regulated information.
    Term(
        "location-tracks", ("location track", "whereabouts", "geolocation", "location data"), ("行踪轨迹", "位置信息")
    ),
    Term("biometric", ("biometric", "facial recognition", "fingerprint"), ("生物识别", "人脸", "指纹")),
    Term("financial-account", ("financial account", "bank card", "bank account"), ("金融账户", "银行卡", "银行账户")),
    Term(
        "health-data",
        ("health data", "medical data", "medical record", "health information", "patient data"),
        ("健康医疗", "医疗健康", "健康生理", "医疗数据", "健康数据", "病历"),
    ),
    Term("genetic", ("genetic", "gene", "genome", "human genetic resources"), ("基因", "遗传", "人类遗传资源")),
    Term("clinical-trial", ("clinical trial", "drug trial"), ("临床试验",)),
    Term("de-identified", ("de-identified", "de-identification", "pseudonymised", "pseudonymized"), ("去标识化",)),
    Term("anonymised", ("anonymised", "anonymized", "anonymisation", "anonymization"), ("匿名化",)),
    # Export and storage.
    Term(
        "outbound",
        (
            "outbound",
            "cross-border",
            "cross border",
            "export",
            "exported",
            "exporting",
            "provide abroad",
            "provided abroad",
            "send abroad",
            "sent abroad",
            "transfer abroad",
        ),
        ("出境", "跨境", "向境外提供", "境外提供", "传输至境外"),
    ),
    Term(
        "localisation",
        ("localisation", "localization", "stored in china", "store in china", "stored inside", "domestic storage"),
        ("境内存储", "存储在境内", "存放在境内", "存放于境内", "本地化"),
    ),
    Term("remote-access", ("remote access", "accessed from abroad", "access from abroad"), ("远程访问", "境外访问")),
    Term("calendar-year", ("calendar year", "current year", "1 january"), ("当年", "自然年", "1月1日")),
    Term("cumulative", ("cumulative", "cumulatively", "aggregate", "in total"), ("累计",)),
    # Free trade zones and the Beijing lists.
    Term("negative-list", ("negative list",), ("负面清单",)),
    Term(
        "ftz",
        ("pilot free trade zone", "free trade zone", "free-trade zone"),
        ("自由贸易试验区", "自贸试验区"),
        abbreviations=("ftz", "自贸区"),
    ),
    Term("two-zones", ("two zones",), ("两区",)),
    Term("pharmaceutical", ("pharmaceutical", "pharma", "drug"), ("医药", "药品", "药物")),
    Term("automotive", ("automotive", "automobile", "vehicle"), ("汽车", "车辆", "智能网联汽车")),
    Term("autonomous-driving", ("autonomous driving", "self-driving", "automated driving"), ("自动驾驶",)),
    Term("ota", ("over-the-air", "online upgrade"), ("远程升级", "在线升级"), abbreviations=("ota",)),
    Term("civil-aviation", ("civil aviation", "airline"), ("民航", "民用航空")),
    # Consequences.
    Term(
        "liability",
        ("legal liability", "penalty", "penalties", "fine", "fined", "sanction"),
        ("法律责任", "处罚", "罚款"),
    ),
    Term("rectification", ("rectify", "rectification", "remediate", "remedy"), ("整改", "改正", "补救")),
    Term("incident", ("security incident", "data breach", "breach", "leak", "leakage"), ("安全事件", "泄露")),
)
"""Every concept of the glossary."""

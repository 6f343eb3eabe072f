"""Human labels, in English and Chinese, for outcomes, facts and their values."""

from __future__ import annotations

from typing import Any

OUTCOME_LABELS: dict[str, dict[str, str]] = {
    "exempt": {"en": "exempt", "zh": "豁免"},
    "outside_negative_list": {"en": "outside the negative list", "zh": "负面清单外"},
    "standard_contract_or_certification": {
        "en": "standard contract or certification",
        "zh": "标准合同或个人信息保护认证",
    },
    "security_assessment": {"en": "security assessment", "zh": "数据出境安全评估"},
    "competent_authority_approval": {"en": "competent authority approval", "zh": "须经主管机关批准"},
    "needs_more_information": {"en": "needs more information", "zh": "需要更多信息"},
    "informational": {"en": "informational", "zh": "规则咨询"},
    "out_of_scope": {"en": "out of scope", "zh": "不属于数据出境问题"},
}

FACT_LABELS: dict[str, dict[str, str]] = {
    "ciio": {"en": "critical information infrastructure operator", "zh": "关键信息基础设施运营者"},
    "state_organ": {"en": "state organ", "zh": "国家机关"},
    "zone": {"en": "where you are registered", "zh": "注册地"},
    "industry": {"en": "industry", "zh": "行业"},
    "scenario": {"en": "business scenario", "zh": "业务场景"},
    "important_data": {"en": "important data", "zh": "重要数据"},
    "personal_info_count": {
        "en": "people whose (non-sensitive) personal information goes abroad this year",
        "zh": "今年出境的个人信息（不含敏感个人信息）涉及人数",
    },
    "sensitive_info_count": {
        "en": "people whose sensitive personal information goes abroad this year",
        "zh": "今年出境的敏感个人信息涉及人数",
    },
    "data_kinds": {"en": "kinds of data", "zh": "数据类型"},
    "exemption_basis": {"en": "exemption basis", "zh": "豁免情形"},
    "foreign_judicial_request": {
        "en": "request by a foreign court or law-enforcement body",
        "zh": "外国司法或执法机构调取",
    },
    "transfer_date": {"en": "date of the transfer", "zh": "出境日期"},
    "conditions.miit_filed_tamper_protected": {
        "en": "OTA upgrade filed with MIIT and protected against tampering",
        "zh": "OTA升级已向工信部备案并采取防篡改措施",
    },
}

VALUE_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "zone": {
        "beijing_ftz": {"en": "registered in the Beijing FTZ", "zh": "在北京自贸试验区注册"},
        "beijing": {"en": "registered in Beijing outside the FTZ", "zh": "在北京市（自贸区外）注册"},
        "other_ftz": {"en": "registered in another free trade zone", "zh": "在其他自贸试验区注册"},
        "none": {"en": "registered elsewhere in mainland China", "zh": "在中国内地其他地区注册"},
    },
    "industry": {
        "automotive": {"en": "automotive", "zh": "汽车"},
        "pharmaceutical": {"en": "pharmaceutical", "zh": "医药"},
        "civil_aviation": {"en": "civil aviation", "zh": "民航"},
        "retail": {"en": "retail and modern services", "zh": "零售与现代服务业"},
        "ai_training": {"en": "AI training data", "zh": "人工智能训练数据"},
        "medical_devices": {"en": "medical devices", "zh": "医疗器械"},
        "autonomous_driving": {"en": "autonomous driving", "zh": "自动驾驶"},
        "trade_logistics": {"en": "trade and logistics", "zh": "商贸物流"},
        "banking": {"en": "banking", "zh": "银行业"},
        "other": {"en": "another industry", "zh": "其他行业"},
    },
    "scenario": {
        "clinical_trial": {"en": "drug clinical trials", "zh": "药物临床试验"},
        "pharmacovigilance": {"en": "pharmacovigilance", "zh": "药物警戒"},
        "drug_rd": {"en": "drug research and development", "zh": "药物研发"},
        "diagnosis_treatment": {"en": "diagnosis and treatment", "zh": "诊疗服务"},
        "after_sales": {"en": "after-sales service", "zh": "售后服务"},
        "other": {"en": "another scenario", "zh": "其他场景"},
    },
    "data_kinds": {
        "health": {"en": "health and medical records", "zh": "医疗健康信息"},
        "genetic": {"en": "genetic data", "zh": "基因信息"},
        "biometric": {"en": "biometrics", "zh": "生物识别信息"},
        "financial_account": {"en": "financial accounts", "zh": "金融账户信息"},
        "location": {"en": "location tracks", "zh": "行踪轨迹"},
        "minor_under_14": {"en": "children under 14", "zh": "不满十四周岁未成年人信息"},
        "identity_document": {"en": "identity documents", "zh": "身份证件信息"},
        "religion": {"en": "religious beliefs", "zh": "宗教信仰"},
        "specific_identity": {"en": "specific identities", "zh": "特定身份"},
        "contact": {"en": "contact details", "zh": "联系方式"},
        "employee": {"en": "employee records", "zh": "员工信息"},
        "account_profile": {"en": "account profiles", "zh": "账户资料"},
        "ota_upgrade": {"en": "OTA upgrade data", "zh": "OTA升级数据"},
        "vehicle_exterior_video": {"en": "video outside the vehicle", "zh": "车外视频图像"},
        "military_area_geo": {
            "en": "geography and flows near military or government sites",
            "zh": "军事管理区、党政机关周边地理及人车流信息",
        },
        "vehicle_logistics_flow": {"en": "vehicle and logistics flows", "zh": "车辆及物流流量信息"},
        "charging_network_ops": {"en": "charging-network operation data", "zh": "充电网络运行数据"},
        "connected_vehicle_service": {"en": "connected-vehicle service data", "zh": "车联网关键服务数据"},
        "ecu_after_sales": {"en": "after-sales data incl. control units", "zh": "含电子控制单元的售后数据"},
        "supply_chain_attack": {"en": "data usable to attack supply chains", "zh": "可被用于攻击供应链的数据"},
    },
    "exemption_basis": {
        "contract_with_individual": {
            "en": "needed for a contract with the individual",
            "zh": "订立、履行个人作为一方当事人的合同所必需",
        },
        "hr_management": {"en": "cross-border HR management", "zh": "跨境人力资源管理所必需"},
        "emergency": {"en": "emergency to protect life, health or property", "zh": "紧急情况下保护生命健康和财产安全"},
        "trade_without_personal_or_important_data": {
            "en": "trade, travel, etc. without personal or important data",
            "zh": "国际贸易等活动中不含个人信息或重要数据",
        },
        "offshore_collected_reexport": {
            "en": "collected abroad, passing through China",
            "zh": "境外收集、在境内处理后出境",
        },
    },
}

SECTIONS: dict[str, dict[str, str]] = {
    "why": {"en": "Why", "zh": "理由"},
    "todo": {"en": "What to do", "zh": "下一步"},
    "assumed": {"en": "Assumed", "zh": "假设"},
    "change": {"en": "Would change the outcome", "zh": "以下情况会改变结论"},
    "branches": {"en": "The outcome for each answer", "zh": "不同情况下的结论"},
    "sources": {"en": "Sources", "zh": "依据"},
}
"""Headings of an answer's parts, shared by the text answer, the app's card and the case report."""

YES_NO = {True: {"en": "yes", "zh": "是"}, False: {"en": "no", "zh": "否"}}


def outcome_label(outcome: str, lang: str) -> str:
    """The outcome's name in words."""
    return OUTCOME_LABELS.get(outcome, {}).get(lang, outcome)


def fact_label(name: str, lang: str) -> str:
    """The fact's name in words."""
    return FACT_LABELS.get(name, {}).get(lang, name)


def value_label(name: str, value: Any, lang: str) -> str:
    """A fact's value in words (counts with thousands separators)."""
    if isinstance(value, bool):
        return YES_NO[value][lang if lang in ("en", "zh") else "en"]
    if isinstance(value, int):
        return f"{value:,}"
    return VALUE_LABELS.get(name, {}).get(str(value), {}).get(lang, str(value))


def section(key: str, lang: str) -> str:
    """An answer part's heading in words."""
    return SECTIONS[key]["zh" if lang == "zh" else "en"]

"""The words for people: a number before one of them counts individuals; data of them is personal."""

PEOPLE_EN = (
    r"people|persons?|individuals?|patients?|pts|customers?|clients?|employees?|staff|users?|members?|subjects?|"
    r"participants?|consumers?|drivers?|passengers?|pax|travell?ers?|children|kids|students?|pupils?|learners?|"
    r"residents?|citizens?|visitors?|volunteers?|workers?|owners?|guests?|buyers?|shoppers?|subscribers?|"
    r"account ?holders?|cardholders?|policyholders?|riders?|applicants?|candidates?|players?|gamers?|tourists?|"
    r"tenants?|borrowers?|investors?|beneficiaries|consignees?|respondents?|followers?|viewers?|readers?|testers?|"
    r"recipients?|addressees?|senders?|listeners?|learners?|fans?|donors?|policy ?holders?|insureds?|claimants?|"
    r"nurses?|doctors?|physicians?|engineers?|welders?|teachers?|pilots?|seafarers?|crew ?members?|caregivers?|"
    r"technicians?|interns?|trainees?|contractors?|freelancers?|expats?|graduates?|job ?seekers?|jobseekers?|"
    r"labou?rers?|athletes?|artists?|researchers?|scientists?|retirees?|pensioners?|families|couples|adults|minors|"
    r"contacts|contact persons|leads|prospects|alumni|parents|guardians|speakers|attendees|delegates|executives|"
    r"managers|directors|officers|representatives|reps|shareholders|founders|entrepreneurs|experts|professionals|"
    r"consultants|lawyers|accountants|brokers|agents|clinicians|surgeons|pharmacists|dentists|therapists|tutors|"
    r"instructors|professors|lecturers|journalists|creators|influencers|streamers|hosts|couriers|riders|"
    r"sign-?ups|registrations|registrants|enrol?lees|enrol?lments|joiners|new hires|hires|newcomers|renters|hirers|"
    r"lessees|patrons|diners|"
    r"homeowners|householders|bidders|donees|vaccinees|inpatients|outpatients|jobholders"
)
"""English nouns for people: a number before one of them is a count of individuals."""

PEOPLE_ZH = (
    "患者|病人|病患|用户|客户|员工|职工|雇员|消费者|会员|受试者|乘客|旅客|儿童|孩子|学生|学员|考生|司机|车主|个人|居民|"
    "人员|访客|游客|持卡人|投保人|被保险人|借款人|投资者|投资人|客人|买家|卖家|玩家|粉丝|读者|观众|租户|业主|法人|"
    "顾客|来访者|收货人|寄件人|申请人|报名者|护士|医生|工程师|焊工|教师|老师|飞行员|船员|技术员|实习生|求职者|劳务人员|工人|"
    "运动员|研究人员|退休人员|高管|经理|董事|股东|代表|专家|律师|会计师|经纪人|代理人|主播|达人|骑手|快递员|导游|"
    "家长|家庭|联系人|负责人|对接人|收件人|候选人|应聘者|参会者|参展商|志愿者|捐款人|房客|住客|病友|住户|业户|村民|市民|"
    "学员家长|幼儿|婴儿|老人|孕妇|职员|社员|选手|球员|网友|听众|订户|作者|创作者|写手|发音人|受访者|参与者|嘉宾|租客|房东|"
    "店主|商户|设计师|演员|艺人|歌手|摄影师|学者|教授|护工|保姆|家政员|外卖员|配送员|乘务员|教练|校友|毕业生|新生|家属|"
    "参保人|受益人|储户|存款人|贷款人|持有人|人次|人"
)
"""Chinese nouns for people (人 last, so that longer nouns win)."""

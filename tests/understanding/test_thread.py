"""A pasted chat log or e-mail thread: the person's own words apart from the messages, read in order.

Every conversation here is written for these tests.
"""

from __future__ import annotations

from assistant.understanding.thread import pasted_thread, statements

CHAT = """Here is our group chat, who is right?

[09:01] Ling: the Osaka agency wants our member list for a promotion
[09:03] Tom: how many members?
[09:04] Ling: about 60k, names and phones only
[09:06] Tom: 60k? we had 45k at the last count
[09:07] Ling: sorry, 45k is right

So what do we need to do?"""

BRACKETED = """下面是群聊：
【市场-小林】东京那边要会员名单做推广
【IT-老高】多少人？
【市场-小林】大概6万，只有姓名和手机号
问题：需要什么手续？"""

NAMED = """Ling: the Osaka agency wants our member list
Tom: how many?
Ling: about 60k
Tom: ok, names only?
Ling: names and phones
can we do it?"""

MAILS = """Hi, forwarding the chain, question below.

From: Aiko Sato
Subject: RE: RE: member list
Let's go with the 45k figure then.

From: Ben Wu
Subject: RE: member list
The list has 60k rows but only 45k distinct people.

From: Aiko Sato
Subject: member list
Osaka wants our members' names and phones.

So, do we need a standard contract?"""


def test_a_chat_log_is_split_into_the_persons_words_and_the_messages() -> None:
    thread = pasted_thread(CHAT)
    assert thread is not None
    assert "who is right?" in thread.own and "what do we need to do?" in thread.own
    assert thread.messages[0] == "the Osaka agency wants our member list for a promotion"
    assert thread.messages[-1] == "sorry, 45k is right"
    assert len(thread.messages) == 5


def test_bracketed_speakers_and_names_alone_are_speakers() -> None:
    bracketed = pasted_thread(BRACKETED)
    assert bracketed is not None and len(bracketed.messages) == 3
    assert bracketed.own.endswith("需要什么手续？")
    named = pasted_thread(NAMED)
    assert named is not None and len(named.messages) == 5
    assert named.own == "can we do it?"


def test_an_email_thread_is_read_oldest_first_with_the_forwarders_question() -> None:
    thread = pasted_thread(MAILS)
    assert thread is not None
    assert thread.messages[0] == "Osaka wants our members' names and phones."
    assert thread.messages[-1] == "Let's go with the 45k figure then."
    assert thread.own.startswith("Hi, forwarding") and thread.own.endswith("do we need a standard contract?")


def test_a_log_without_a_question_of_the_persons_own_asks_its_last_question() -> None:
    thread = pasted_thread(NAMED.removesuffix("\ncan we do it?") + "\nLing: so can we send it to Osaka?")
    assert thread is not None and thread.own == "so can we send it to Osaka?"


def test_a_message_with_a_few_colons_is_no_thread() -> None:
    assert pasted_thread("Background: we are a retailer.\nQuestion: can we send 5,000 e-mails to Oslo?") is None
    assert pasted_thread("We send 40,000 members' e-mails to Tokyo. Do we need a contract?") is None


def test_statements_drop_the_questions_colleagues_ask() -> None:
    assert statements("any children? ID numbers? we have 45k adults only") == "we have 45k adults only"
    assert statements("有没有未成年人？没有，都是成年人") == "没有，都是成年人"


def test_a_request_without_a_question_mark_is_the_persons_question() -> None:
    text = MAILS.replace("Hi, forwarding the chain, question below.", "请帮忙看下我们要不要备案，谢谢。").replace(
        "\n\nSo, do we need a standard contract?", ""
    )
    thread = pasted_thread(text)
    assert thread is not None
    assert thread.own == "请帮忙看下我们要不要备案，谢谢。"
    assert len(thread.messages) == 3


MINUTES = """会议纪要，问题在最后。
1. 销售部：今年要把3万名会员的手机号给新加坡的客服中心。
2. 客服部：3万不对，加上老会员一共5万。
3. 销售部：老会员去年传过了，今年只算新的。
4. 客服部：那就按3.5万，这次核过了。
5. 法务部：我们不是关基。
需要签标准合同吗？"""


def test_numbered_minutes_whose_speakers_come_back_are_read_in_order() -> None:
    thread = pasted_thread(MINUTES)
    assert thread is not None and len(thread.messages) == 4
    assert thread.messages[-1] == "那就按3.5万，这次核过了。"
    assert thread.own.endswith("需要签标准合同吗？")


DATED = """客户转来的邮件要点，问题在最后。
供应商11月3日邮件：按今年全部会员准备，预计9万人。
我们市场部11月5日回复：9万是三年的目标，今年实际是4.1万。
供应商11月6日邮件：明白，那今年按4.1万人准备。
我们要签标准合同吗？"""


def test_speakers_named_with_the_day_they_wrote_are_speakers() -> None:
    thread = pasted_thread(DATED)
    assert thread is not None and len(thread.messages) == 3
    assert thread.messages[-1] == "明白，那今年按4.1万人准备。"
    english = pasted_thread(
        "Legal, 3 Nov: 9k people.\nSales (Nov 5): no, 4.1k this year.\nLegal, 6 Nov: fine, 4.1k then.\nDo we file?"
    )
    assert english is not None and len(english.messages) == 3


def test_quoted_replies_of_an_email_are_its_messages() -> None:
    text = (
        "FYI, see below; my question is at the end.\n\n"
        "> Tom wrote: It's 500k members, from the CRM.\n"
        "That's everyone since 2018. This year's are 62,000.\n\n"
        "> Ines wrote: ok 62k then. Phone numbers too?\n"
        "Yes: name, e-mail and phone, nothing else.\n\n"
        "> Tom wrote: fine, 62k it is.\n\n"
        "So: do we need a standard contract for sending them to Madrid?"
    )
    thread = pasted_thread(text)
    assert thread is not None and len(thread.messages) == 3
    assert "standard contract" in thread.own and "500k" not in thread.own


def test_the_question_put_to_the_assistant_in_a_group_chat_is_the_persons() -> None:
    text = (
        "老王 09:01：会员数据要同步到东京，今年3万人\n"
        "小李 09:03：字段就姓名和手机号\n"
        "老王 09:05：@数据合规助手 这种情况要走什么流程？\n"
        "小李 09:06：生日要不要一起传？\n"
        "老王 09:07：先不传\n"
    )
    thread = pasted_thread(text)
    assert thread is not None and "走什么流程" in thread.own and "生日要不要" not in thread.own


def test_a_chat_log_stamped_with_weekdays_is_a_thread() -> None:
    from assistant.understanding.thread import pasted_thread

    log = "\n".join(
        [
            "[Tue 10:02] Ana (sales): the Madrid office wants the dealer contact list",
            "[Tue 10:05] Raj (IT): it has about 3k contacts",
            "[Wed 08:40] Ana (sales): ok, confirmed 3,150",
            "can we send it?",
        ]
    )
    thread = pasted_thread(log)
    assert thread is not None and len(thread.messages) == 3


REPLIED = """can you read this and tell me what we need? we're a course platform in Chaoyang.

From: Pei Lin <pei@example.cn>
Date: 18 Nov 2026
Subject: Re: import

Correction: this year's learners are 23,000, not 31,000.

> On 16 Nov 2026, Mark Dole wrote:
> Please confirm the total, we sized it for 31k.
>
>> On 15 Nov 2026, Pei Lin wrote:
>> Total learners to import: 31,000."""


def test_quoted_replies_below_an_email_are_read_oldest_first() -> None:
    thread = pasted_thread(REPLIED)
    assert thread is not None and len(thread.messages) == 3
    assert thread.messages[0] == "Total learners to import: 31,000."
    assert thread.messages[-1].startswith("Correction:")
    assert thread.own.startswith("can you read this") and "Correction" not in thread.own


def test_quoted_messages_without_dates_or_attributions_keep_the_pasted_order() -> None:
    text = (
        "Forwarding the chain.\n\nFrom: Ana\nWe plan 9,000 members.\n\n"
        "> From: Bo\n> 9,000 is spring only, autumn adds 800.\n\n"
        "> > From: Ana\n> > Agreed, 9,800 then.\n\nSo: is a standard contract enough?"
    )
    thread = pasted_thread(text)
    assert thread is not None
    assert [m.split()[0] for m in thread.messages] == ["We", "9,000", "Agreed,"]
    assert thread.own.endswith("is a standard contract enough?")


def test_a_single_quoted_line_is_no_thread() -> None:
    assert pasted_thread("The rule says:\n> personal information of 100,000 people\nDoes that cover us?") is None


def test_a_chat_export_with_dates_and_times_before_the_names_is_a_thread() -> None:
    text = (
        "Feishu export, see below.\n"
        "2026-11-19 09:12 Kelly Deng: our member base moves to Tokyo in January\n"
        "2026-11-19 09:20 Ryan Xu (Data, Shanghai office): 132k accounts\n"
        "2026-11-20 08:47 Kelly Deng: question for the compliance assistant: which route?\n"
    )
    thread = pasted_thread(text)
    assert thread is not None and len(thread.messages) == 2
    assert "which route" in thread.own


def test_the_forwarders_own_email_above_the_thread_is_theirs() -> None:
    text = (
        "From: Helen\nSent: 23 November 2026 10:14\n\nHello, we are a travel agency in Dongcheng. Thread below.\n\n"
        "----\nFrom: Zhou\nSent: 20 November 2026 17:55\nFinal: 40 travellers' passports go to the lodges.\n\n"
        "----\nFrom: Gao\nSent: 19 November 2026 12:30\nAgreed.\n\n"
        "----\nMy question: do we need a contract?\n\nThanks, Helen"
    )
    thread = pasted_thread(text)
    assert thread is not None
    assert "travel agency in Dongcheng" in thread.own and "do we need a contract?" in thread.own
    assert thread.messages == ["Agreed.", "Final: 40 travellers' passports go to the lodges."]


def test_a_forwarders_note_with_quotes_below_and_a_question_after_them_is_theirs() -> None:
    text = (
        "From: Dr. Gu <gu@example.cn>\nDate: 24 Nov 2026\n\nLegal - forwarding the thread. My question is at the end.\n"
        "\n> On 20 Nov 2026, Seoul wrote:\n> Please send the 2,314 patients' photos.\n>\n"
        ">> On 18 Nov 2026, Dr. Gu wrote:\n>> We can send them in December.\n\n"
        "Question: what procedure do we need for the December upload?"
    )
    thread = pasted_thread(text)
    assert thread is not None
    assert "what procedure do we need" in thread.own and "forwarding the thread" in thread.own
    assert thread.messages == ["We can send them in December.", "Please send the 2,314 patients' photos."]

"""Rate limits on the `limits` library (memory and a real redis-server), and the replay memory in Redis.

The memory tests run in the fast suite; the Redis ones start `redis-server` on a free port (marked server).
Two limiter or memory objects on one Redis stand for two replicas.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from assistant.api.callbacks import CallbackGuard, keep_seconds
from assistant.api.gate import RateLimiter, UiRules, limit_storage
from assistant.casefile.replay import ReplayTable
from assistant.casefile.replay_redis import KEY_PREFIX, RedisReplay
from assistant.errors import AssistantRuntimeError, ConfigurationError
from assistant.settings import Settings

from ..services import free_port, redis_server


def test_the_memory_limiter_counts_each_identity_in_a_one_minute_window() -> None:
    limiter = RateLimiter(3)
    assert [limiter.hit("addr:192.0.2.1") for _ in range(3)] == [None, None, None]
    wait = limiter.hit("addr:192.0.2.1")
    assert wait is not None and 55 < wait <= 60
    assert limiter.hit("addr:192.0.2.2") is None  # another client has its own window
    assert RateLimiter(0).hit("addr:192.0.2.1") is None  # 0: no limit


def test_scopes_keep_limiters_apart() -> None:
    api, ui = RateLimiter(1, scope="api"), RateLimiter(1, scope="ui")
    assert api.hit("addr:192.0.2.9") is None and ui.hit("addr:192.0.2.9") is None
    assert api.hit("addr:192.0.2.9") is not None


def test_the_settings_choose_where_limits_and_replays_live(tmp_path: Path) -> None:
    alone = Settings(data_dir=tmp_path)
    assert limit_storage(alone) == "memory://" and UiRules.from_settings(alone).storage == "memory://"
    assert isinstance(CallbackGuard.from_settings(alone).memory, ReplayTable)  # one machine: nothing to start
    shared = Settings(data_dir=tmp_path, redis_url="redis://127.0.0.1:1/0")
    assert limit_storage(shared) == "redis://127.0.0.1:1/0"
    guard = CallbackGuard.from_settings(shared)  # no connection is made until a callback arrives
    assert isinstance(guard.memory, RedisReplay)
    assert guard.webhook_limiter.storage_url == guard.wecom_limiter.storage_url == "redis://127.0.0.1:1/0"


@pytest.mark.parametrize("url", ["memcached://127.0.0.1:11211", "http://127.0.0.1:6379", "redis://:x@:notaport"])
def test_a_store_that_is_not_memory_or_redis_is_a_configuration_error(url: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        RateLimiter(5, storage=url)
    assert ":x@" not in str(raised.value)  # no password in the message


def test_an_unreachable_redis_falls_back_to_this_replica(caplog: pytest.LogCaptureFixture) -> None:
    limiter = RateLimiter(2, storage=f"redis://:secret-word@127.0.0.1:{free_port()}/0", fallback_seconds=30)
    with caplog.at_level(logging.ERROR, logger="assistant.api.gate"):
        assert limiter.hit("addr:192.0.2.3") is None  # allowed, counted here while Redis is away
        assert limiter.hit("addr:192.0.2.3") is None
        assert limiter.hit("addr:192.0.2.3") is not None  # the limit still holds, per replica
    failures = [r.getMessage() for r in caplog.records if "rate limit store" in r.getMessage()]
    assert len(failures) == 1 and "secret-word" not in failures[0] and "***" in failures[0]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.mark.server
def test_two_replicas_count_on_one_redis_window(redis_url: str) -> None:
    a = RateLimiter(4, scope="api", storage=redis_url)
    b = RateLimiter(4, scope="api", storage=redis_url)
    other_scope = RateLimiter(4, scope="ui", storage=redis_url)
    seen = [limiter.hit("key:help-desk") for limiter in (a, b, a, b, a, b)]
    assert seen[:4] == [None] * 4
    assert all(wait is not None and 55 < wait <= 60 for wait in seen[4:])
    assert other_scope.hit("key:help-desk") is None
    client = redis.Redis.from_url(redis_url)
    try:
        assert client.keys("assistant-limits*")  # the window lives in Redis, under the assistant's prefix
    finally:
        client.close()


@pytest.mark.server
def test_redis_replay_memory_claims_once_keeps_the_reply_and_forgets(redis_url: str) -> None:
    a, b = RedisReplay(redis_url, keep_seconds(300)), RedisReplay(redis_url, keep_seconds(300))
    try:
        assert a.first_time("wecom:zhangsan:msg-17") is True
        assert b.first_time("wecom:zhangsan:msg-17") is False  # the other replica sees the claim
        assert b.reply_for("wecom:zhangsan:msg-17") is None  # claimed, still being answered
        a.keep_reply("wecom:zhangsan:msg-17", "答复：需要申报安全评估 ✓")
        assert b.reply_for("wecom:zhangsan:msg-17") == "答复：需要申报安全评估 ✓"
        b.forget("wecom:zhangsan:msg-17")
        assert a.reply_for("wecom:zhangsan:msg-17") is None
        assert a.first_time("wecom:zhangsan:msg-17") is True  # released: a later delivery is answered
        stored = [key.decode() for key in a.client.keys(KEY_PREFIX + "*")]
        assert stored and not any("zhangsan" in key or "msg-17" in key for key in stored)  # digests only
        assert 0 < a.client.pttl(stored[0]) <= keep_seconds(300) * 1000
    finally:
        a.close()
        b.close()


@pytest.mark.server
def test_redis_replay_keys_expire_and_an_expired_claim_is_not_brought_back(redis_url: str) -> None:
    memory = RedisReplay(redis_url, keep_seconds=0.2)
    try:
        assert memory.first_time("webhook:addr:192.0.2.4:k1")
        time.sleep(0.4)
        memory.keep_reply("webhook:addr:192.0.2.4:k1", "late")  # XX: nothing to attach it to any more
        assert memory.reply_for("webhook:addr:192.0.2.4:k1") is None
        assert memory.first_time("webhook:addr:192.0.2.4:k1") is True
    finally:
        memory.close()


@pytest.mark.server
def test_simultaneous_claims_on_redis_have_one_winner(redis_url: str) -> None:
    replicas = [RedisReplay(redis_url, keep_seconds(300)) for _ in range(8)]
    barrier = threading.Barrier(len(replicas))
    wins: list[bool] = []

    def claim(memory: RedisReplay) -> None:
        barrier.wait()
        wins.append(memory.first_time("wecom:lisi:msg-99"))

    threads = [threading.Thread(target=claim, args=(memory,)) for memory in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for memory in replicas:
        memory.close()
    assert sorted(wins) == [False] * 7 + [True]


def test_an_unreachable_redis_is_an_error_not_a_new_message() -> None:
    memory = RedisReplay(f"redis://127.0.0.1:{free_port()}/0", keep_seconds(300))
    try:
        with pytest.raises(AssistantRuntimeError, match="replay memory failed"):
            memory.first_time("wecom:wangwu:msg-1")
    finally:
        memory.close()
    with pytest.raises(ConfigurationError):
        RedisReplay("not a url", 60)

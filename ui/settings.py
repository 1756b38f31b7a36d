"""One Settings object, read once from the environment and flags at an entry point."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping


def default_index_dir() -> str:
    from platformdirs import user_data_dir

    return str(Path(user_data_dir("inspectbot", appauthor=False)) / "index")


def _flag(value: str | None) -> bool | None:
    if value in (None, ""):
        return None
    return value.strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    index_dir: str = field(default_factory=default_index_dir)
    chroma_url: str = ""  # http://host:port of a `chroma run` server; empty: embedded
    embed_model: str = "all-MiniLM-L6-v2"
    embed_precision: str = "auto"  # auto (bf16 where the CPU has it natively), fp32, bf16
    embed_backend: str = "auto"  # auto (questions by ONNX Runtime, batches by torch), auto-int8, torch, onnx, onnx-int8
    embed_threads: int = 0  # threads one embedding uses; 0: the runtime's default (one per core)
    host: str = "127.0.0.1"
    port: int = 7860
    allowed_origins: tuple[str, ...] = ()
    # origin -> provider: requests from that origin are scoped to that provider, whatever they ask
    origin_providers: tuple[tuple[str, str], ...] = ()
    min_similarity: float = 0.40
    min_topic_score: float = 0.45  # within one report: below this, the report doesn't discuss the topic
    answer_slots: int = 0  # questions worked on at once in each worker; 0: one per CPU core, shared by the workers
    workers: int = 1  # server processes (`serve --workers`), each with its own model; one per core answers most
    # file keeping the vectors of sentences ranked at answer time; '': sentences.sqlite3 in the
    # index folder; 'memory': not kept on disk
    sentence_cache: str = ""
    log_level: str = "INFO"
    rate_limit: int = 30  # questions per minute per client; 0: no limit
    admin_token: str = field(default="", repr=False)  # enables admin: API and the chat's tab
    max_upload_mb: float = 50.0
    state_db: str = ""  # feedback + rate limits shared by instances; default: in the index folder
    # proxies in front that each append to X-Forwarded-For: the client is the Nth hop from the right
    trusted_proxies: int = 0
    public_url: str = ""  # https://ask.example.gov.uk: the app's own origin, not the Host header
    keep_alive_s: float = 5.0  # idle or half-sent connections are closed after this
    max_connections: int = 200  # connections at once; more get 503
    log_client_ip: bool = False  # questions are logged without the client's address unless set
    log_days: int = 90  # days the question log (and feedback) is kept; 0: no question log
    reports_dir: str = ""  # where the admin tab stores uploaded reports
    llm_backend: str = ""  # "", openai, ollama, llamacpp
    llm_model: str = ""
    llm_url: str = ""
    llm_api_key: str = field(default="", repr=False)
    llm_timeout: float = 30.0
    llm_prompt_chars: int = 0  # passage text in an LLM prompt; 0: 700 for llamacpp, else 6000
    view_cache_dir: str = ""  # rendered page images; default: view-cache in the index folder
    view_cache_mb: float = 200.0  # the oldest images are deleted beyond this
    # AI assistants (/mcp, /v1, `inspectbot mcp`): a bearer key they must send (links in their
    # answers start with public_url, else the request's own address)
    assistant_key: str = field(default="", repr=False)

    def origins(self) -> tuple[str, ...]:
        """Every origin allowed to call the API: the allowed ones and the provider-bound ones."""
        return tuple(dict.fromkeys(self.allowed_origins + tuple(o for o, _ in self.origin_providers)))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> "Settings":
        env = os.environ if env is None else env
        s = cls()
        values = {
            "index_dir": env.get("INSPECTBOT_INDEX"),
            "chroma_url": env.get("INSPECTBOT_CHROMA_URL"),
            "embed_model": env.get("INSPECTBOT_EMBED_MODEL"),
            "embed_precision": env.get("INSPECTBOT_EMBED_PRECISION"),
            "embed_backend": env.get("INSPECTBOT_EMBED_BACKEND"),
            "embed_threads": int(env["INSPECTBOT_EMBED_THREADS"]) if env.get("INSPECTBOT_EMBED_THREADS") else None,
            "host": env.get("INSPECTBOT_HOST"),
            "port": int(env["INSPECTBOT_PORT"]) if env.get("INSPECTBOT_PORT") else None,
            **_origins(env.get("INSPECTBOT_ALLOWED_ORIGINS")),
            "min_similarity": float(env["INSPECTBOT_MIN_SIMILARITY"]) if env.get("INSPECTBOT_MIN_SIMILARITY") else None,
            "min_topic_score": float(env["INSPECTBOT_MIN_TOPIC_SCORE"]) if env.get("INSPECTBOT_MIN_TOPIC_SCORE") else None,
            "answer_slots": int(env["INSPECTBOT_ANSWER_SLOTS"]) if env.get("INSPECTBOT_ANSWER_SLOTS") else None,
            "workers": int(env["INSPECTBOT_WORKERS"]) if env.get("INSPECTBOT_WORKERS") else None,
            "sentence_cache": env.get("INSPECTBOT_SENTENCE_CACHE"),
            "log_level": env.get("INSPECTBOT_LOG_LEVEL"),
            "rate_limit": int(env["INSPECTBOT_RATE_LIMIT"]) if env.get("INSPECTBOT_RATE_LIMIT") else None,
            "admin_token": env.get("INSPECTBOT_ADMIN_TOKEN"),
            "max_upload_mb": float(env["INSPECTBOT_MAX_UPLOAD_MB"]) if env.get("INSPECTBOT_MAX_UPLOAD_MB") else None,
            "state_db": env.get("INSPECTBOT_STATE_DB"),
            "trusted_proxies": _proxies(env),
            "public_url": (env.get("INSPECTBOT_PUBLIC_URL") or "").strip().rstrip("/") or None,
            "keep_alive_s": float(env["INSPECTBOT_KEEP_ALIVE"]) if env.get("INSPECTBOT_KEEP_ALIVE") else None,
            "max_connections": int(env["INSPECTBOT_MAX_CONNECTIONS"]) if env.get("INSPECTBOT_MAX_CONNECTIONS") else None,
            "log_client_ip": _flag(env.get("INSPECTBOT_LOG_CLIENT_IP")),
            "log_days": int(env["INSPECTBOT_LOG_DAYS"]) if env.get("INSPECTBOT_LOG_DAYS") else None,
            "reports_dir": env.get("INSPECTBOT_REPORTS"),
            "llm_backend": env.get("INSPECTBOT_LLM"),
            "llm_model": env.get("INSPECTBOT_LLM_MODEL"),
            "llm_url": env.get("INSPECTBOT_LLM_URL"),
            "llm_api_key": env.get("INSPECTBOT_LLM_API_KEY") or env.get("OPENAI_API_KEY"),
            "llm_timeout": float(env["INSPECTBOT_LLM_TIMEOUT"]) if env.get("INSPECTBOT_LLM_TIMEOUT") else None,
            "llm_prompt_chars": int(env["INSPECTBOT_LLM_PROMPT_CHARS"]) if env.get("INSPECTBOT_LLM_PROMPT_CHARS") else None,
            "view_cache_dir": env.get("INSPECTBOT_VIEW_CACHE"),
            "view_cache_mb": float(env["INSPECTBOT_VIEW_CACHE_MB"]) if env.get("INSPECTBOT_VIEW_CACHE_MB") else None,
            "assistant_key": env.get("INSPECTBOT_ASSISTANT_KEY"),
        }
        values.update(overrides)
        return replace(s, **{k: v for k, v in values.items() if v not in (None, "")})


def _proxies(env: Mapping[str, str]) -> int | None:
    """INSPECTBOT_TRUSTED_PROXIES=N; the older INSPECTBOT_TRUST_PROXY=1 counts as one proxy."""
    value = env.get("INSPECTBOT_TRUSTED_PROXIES")
    if value not in (None, ""):
        if not value.strip().isdigit():
            raise ValueError(f"INSPECTBOT_TRUSTED_PROXIES must be a whole number of proxies (0, 1, 2...), "
                             f"not {value!r}.")
        return int(value)
    if _flag(env.get("INSPECTBOT_TRUST_PROXY")):
        logging.getLogger(__name__).warning("INSPECTBOT_TRUST_PROXY=1 is read as INSPECTBOT_TRUSTED_PROXIES=1 "
                                            "(one proxy in front); set INSPECTBOT_TRUSTED_PROXIES instead.")
        return 1
    return None


def _origins(value: str | None) -> dict:
    """'https://www.salford.gov.uk=Salford,https://staff.example': every origin is allowed, and
    one with '=PROVIDER' is bound to that provider."""
    if not value:
        return {}
    allowed, bound = [], []
    for item in value.split(","):
        origin, _, provider = item.partition("=")
        origin = origin.strip().rstrip("/")
        if origin:
            allowed.append(origin)
            if provider.strip():
                bound.append((origin, provider.strip()))
    return {"allowed_origins": tuple(allowed), "origin_providers": tuple(bound) or None}


def sentence_cache(settings: Settings) -> str | None:
    """The sentence-vector file answers read and the ingest fills (None: the index folder's;
    '': memory only)."""
    return {"": None, "memory": ""}.get(settings.sentence_cache, settings.sentence_cache)


def build(settings: Settings):
    """The composition root: embedder, index, retriever and answerer from Settings."""
    from bot.answer import Answerer
    from index.api import open_index
    from index.embed import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder(settings.embed_model, precision=settings.embed_precision,
                                           backend=settings.embed_backend, threads=settings.embed_threads)
    index = open_index(settings.index_dir, embedder, chroma_url=settings.chroma_url or None)
    answerer = Answerer(index.catalog, index.retriever(sentence_cache=sentence_cache(settings)), min_similarity=settings.min_similarity,
                        slots=settings.answer_slots or max(1, (os.cpu_count() or 1) // max(1, settings.workers)),
                        min_topic_score=settings.min_topic_score)
    answerer.warm_up()  # the catalog read and the example questions embedded before the first question
    if settings.llm_backend:
        from bot.llm import LLMAnswerer, LLMConfig, LLMUnavailable, make_chat_model

        cfg = LLMConfig(settings.llm_backend, settings.llm_model, settings.llm_url,
                        settings.llm_api_key, settings.llm_timeout,
                        prompt_chars=settings.llm_prompt_chars)
        try:
            answerer = LLMAnswerer(answerer, make_chat_model(cfg), budget=cfg.passage_budget(),
                                   serial=cfg.local, wait=cfg.timeout)
            if cfg.local:
                answerer.warm_up()
        except LLMUnavailable as exc:
            logging.getLogger(__name__).warning("%s Answering without an LLM.", exc.message)
    return index, answerer

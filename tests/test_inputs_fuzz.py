"""speechgen.inputs: junk in gives a Job or a UserError, never anything else."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from speechgen.errors import Finding, UserError
from speechgen.inputs import Job, Limits, known_keys, load_job

DATA = Path(__file__).parent / "data" / "inputs"
SAMPLES = [
    (DATA / name).read_text(encoding="utf-8")
    for name in ("speech.yaml", "outline.yaml", "notice.yaml", "notice_batch.yaml", "letter.yaml")
]
LIMITS = Limits(max_input_bytes=64 * 1024, max_nodes=5_000, max_items=50, max_recipients=50)
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def outcome(data: bytes) -> Job | UserError:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "job.yaml"
        path.write_bytes(data)
        try:
            job = load_job(path, limits=LIMITS)
        except UserError as exc:
            assert exc.findings, "a UserError carries its findings"
            for finding in exc.findings:
                assert isinstance(finding, Finding)
                assert finding.code[:1] in "EW" and finding.message
            assert any(f.is_error for f in exc.findings)
            return exc
    assert isinstance(job.data, dict) and job.type in ("speech", "outline", "notice", "letter")
    assert all(not w.is_error for w in job.warnings)
    return job


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes(data: bytes) -> None:
    outcome(data)


@FUZZ
@given(st.text(max_size=2000))
def test_random_text(text: str) -> None:
    outcome(text.encode("utf-8", "surrogatepass"))


YAMLISH = st.text(
    alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#,?% \n\t\u3000：、十三0123456789.\\\x01")),
    max_size=300,
)


@FUZZ
@given(st.sampled_from(SAMPLES), st.integers(min_value=0), YAMLISH)
def test_spliced_samples(sample: str, where: int, junk: str) -> None:
    cut = where % (len(sample) + 1)
    outcome((sample[:cut] + junk + sample[cut:]).encode("utf-8"))


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.sampled_from(["auto", "十三", "2024-13-45", "2024年4月10日", "乡镇", "{limits.x}", "{"]),
)


def values() -> st.SearchStrategy:
    return st.recursive(
        SCALARS,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.text(max_size=8), inner, max_size=4),
        ),
        max_leaves=12,
    )


def job_documents() -> st.SearchStrategy:
    def build(job_type: str) -> st.SearchStrategy:
        keys = sorted(known_keys(job_type))
        tops = sorted({key.split(".")[0].split("[")[0] for key in keys})
        return st.dictionaries(st.sampled_from(tops), values(), max_size=8).map(
            lambda doc: {"type": job_type, **doc}
        )

    return st.sampled_from(["speech", "outline", "notice", "letter"]).flatmap(build)


@FUZZ
@given(job_documents())
def test_random_documents_with_known_keys(doc: dict) -> None:
    outcome(yaml.safe_dump(doc, allow_unicode=True).encode("utf-8"))


def _set_path(doc: dict, path: list[str], value: object) -> None:
    target = doc
    for key in path[:-1]:
        nxt = target.get(key)
        if isinstance(nxt, list) and nxt:
            nxt = nxt[0]
        if not isinstance(nxt, dict):
            return
        target = nxt
    target[path[-1]] = value


@FUZZ
@given(st.sampled_from(SAMPLES), st.data())
def test_samples_with_one_value_replaced(sample: str, data: st.DataObject) -> None:
    doc = yaml.safe_load(sample)
    keys = sorted(known_keys(doc["type"]))
    key = data.draw(st.sampled_from(keys))
    value = data.draw(values())
    _set_path(doc, [part.removesuffix("[]") for part in key.split(".")], value)
    outcome(yaml.safe_dump(doc, allow_unicode=True).encode("utf-8"))

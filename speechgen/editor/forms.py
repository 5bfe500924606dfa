"""The editor's form, derived from the input schema (speechgen.inputs.schema).

The schema is the one definition of which keys a job kind has, which are
required, their types, ranges and enum values; this module only adds the
Chinese label and the contract's hint (spec/INPUT.md) for each key path and
turns the specs into plain JSON the page draws as a form. A key the schema
gains appears in the form without a change here (labelled with its key until
it gets a label below).
"""

from __future__ import annotations

from typing import Any

from ..inputs import schema as s

#: Key path (lists as ``[]``) → (label, hint from spec/INPUT.md). Keys of INPUT.md v2
#: that the loader does not take yet are listed too, so they are labelled once it does.
LABELS: dict[str, tuple[str, str]] = {
    "type": ("文种", ""),
    "title": ("标题", "可不填：自动拟定"),
    "salutation": ("称呼", "可不填：默认“同志们：”"),
    "org": ("单位", ""),
    "org.level": ("层级", "决定“我县/全县/县委、县政府”等用语"),
    "org.name": ("单位名称", "如 青山县"),
    "org.parent": ("上级", "如 江北市"),
    "org.short": ("简称", ""),
    "org.units": ("下属单位称谓", "如 各乡镇（街道）"),
    "org.office": ("安全生产办事机构", "如 安全环保部；可不填：县安委办、公司安全管理部门等"),
    "fonts": ("字体", "gb2312（默认）、gbk 或 windows"),
    "context": ("本地情况", "讲话可引用的本地情况，照原文写入"),
    "speaker": ("讲话人", ""),
    "speaker.role": ("职务", "如 县长"),
    "speaker.name": ("姓名", "可不填"),
    "speaker.on_behalf_of": ("受谁委托", "如 县委、县政府主要领导"),
    "meeting": ("会议", ""),
    "meeting.name": ("会议名称", "如 2024年第二季度全县安全生产工作会议"),
    "meeting.kind": ("会议类型", ""),
    "meeting.date": ("会议日期", ""),
    "meeting.quarter": ("季度", "可不填：季度例会按日期推算"),
    "meeting.cause": ("引发会议的事故", "紧急会议填写"),
    "meeting.holiday": ("节日", "节假日会议：如 春节、全国两会"),
    "meeting.days_since_last": ("距上次会议天数", ""),
    "meeting.topics": ("合并议题", "如 防汛、地质灾害"),
    "meeting.targets": ("年度控制指标", "照原文写入"),
    "meeting.letters_signed": ("会上签订责任书", ""),
    "inspection": ("迎检", "即将迎接的检查"),
    "inspection.by": ("检查单位", "如 国务院安委会"),
    "inspection.what": ("检查内容", "如 安全生产巡查"),
    "inspection.from": ("开始日期", ""),
    "inspection.to": ("结束日期", ""),
    "duty": ("值班", "节假日值班安排"),
    "duty.from": ("值班开始", ""),
    "duty.to": ("值班结束", ""),
    "duty.phone": ("值班电话", ""),
    "duty.report_by": ("值班表报送时限", ""),
    "duty.report_to": ("值班表报送单位", ""),
    "preceding": ("前面的发言", "“刚才，……”"),
    "preceding[].who": ("发言单位", "多个单位用“、”分隔"),
    "preceding[].did": ("发言内容", "如 通报了一季度全县安全生产工作情况"),
    "points": ("要点", "auto：由程序按数据安排；或逐条写明"),
    "points[].heading": ("标题", ""),
    "points[].items": ("内容", ""),
    "points[].items[].from": ("取自", ""),
    "points[].items[].use": ("短语 id", "如 jiewei.zhongyu_taishan"),
    "points[].items[].text": ("文字", "照原文写入"),
    "points[].items[].title": ("小标题", "“一是……”"),
    "points[].text": ("文字", ""),
    "closing": ("结尾", ""),
    "closing.event": ("迎接的大事", "如 党的二十大"),
    "closing.vision": ("愿景", "如 为全县高质量发展提供坚强安全保障"),
    "situation": ("工作情况", ""),
    "situation.achievements": ("成绩", ""),
    "situation.problems": ("问题", ""),
    "stats": ("统计数字", "本地情况，填原始数字"),
    "stats.period": ("统计期间", "如 一季度、上半年、2023年"),
    "stats.current": ("本期", ""),
    "stats.previous": ("去年同期", ""),
    "stats.hazards": ("隐患排查", ""),
    "stats.hazards.found": ("发现隐患", ""),
    "stats.hazards.fixed": ("已整改", ""),
    "stats.hazards.major": ("重大隐患", ""),
    "history": ("往年数字", "用于多年比较"),
    "history[].year": ("年份", ""),
    "accidents": ("引用的事故", "作为警示引用的事故"),
    "accidents[].date": ("日期", ""),
    "accidents[].place": ("地点", "如 辽宁盘锦"),
    "accidents[].kind": ("事故类型", "如 爆炸、火灾、坍塌、燃气爆炸"),
    "accidents[].site": ("场所", "如 化工企业"),
    "accidents[].code": ("简称", "如 6·18"),
    "accidents[].scope": ("范围", ""),
    "sectors": ("行业领域", "重点行业领域"),
    "sectors[].name": ("领域", "如 危险化学品"),
    "sectors[].lead": ("牵头单位", "如 县应急管理局"),
    "sectors[].support": ("配合单位", "多个单位用“、”分隔"),
    "sectors[].checks": ("检查重点", "用“、”分隔"),
    "sectors[].text": ("自写文字", "照原文写入，代替短语库表述"),
    "issuer": ("发文机关", "也用于落款"),
    "mark": ("发文机关标志", "红头；默认按发文机关"),
    "doc_number": ("发文字号", "如 青安办〔2024〕12号"),
    "to": ("主送机关", "如 各乡镇人民政府，县安委会各成员单位"),
    "date": ("成文日期", ""),
    "quarter": ("季度", "可不填：按日期推算"),
    "tasks": ("任务", "附件：任务分工表"),
    "tasks[].task": ("任务", ""),
    "tasks[].lead": ("牵头单位", ""),
    "tasks[].support": ("配合单位", "用“、”分隔"),
    "tasks[].due": ("完成时限", "日期，或如 6月底前"),
    "contact": ("联系人", ""),
    "contact.name": ("姓名", ""),
    "contact.phone": ("电话", ""),
    "contact.email": ("电子邮箱", ""),
    "cc": ("抄送", ""),
    "printed_by": ("印发机关", ""),
    "basis": ("依据", ""),
    "requirements": ("工作要求", ""),
    "attachments": ("附件", ""),
    "attachments[].title": ("附件标题", ""),
    "attachments[].text": ("附件文字", ""),
    "approved_by": ("经谁同意", "如 县政府"),
    "sealed": ("加盖印章", ""),
    "report": ("信息报送", "每季度最后一个月报送"),
    "report.day": ("报送日", "如 25（每月25日前）"),
    "report.to": ("报送单位", "如 县安委办"),
    "batch": ("批量", "每项生成一份通知，覆盖上面的同名项"),
    "party_a": ("甲方", ""),
    "party_a.name": ("甲方名称", "如 青山县人民政府"),
    "party_a.signer_title": ("签字人职务", "如 县长"),
    "party_a.signer": ("签字人", ""),
    "term": ("责任期限", ""),
    "term.start": ("开始日期", ""),
    "term.end": ("结束日期", ""),
    "sign_date": ("签订日期", ""),
    "preamble": ("前言", ""),
    "targets": ("控制指标", "{limits.deaths_max} 等占位符取自各乙方"),
    "duties": ("工作职责", "auto：按乙方类型选择"),
    "sanctions": ("考核与奖惩", "auto：按乙方类型选择"),
    "copies": ("份数", "一式几份"),
    "recipients": ("责任单位", "乙方：每个单位一份责任书"),
    "recipients[].name": ("单位名称", ""),
    "recipients[].type": ("类型", ""),
    "recipients[].signer_title": ("签字人职务", ""),
    "recipients[].signer": ("签字人", ""),
    "recipients[].sectors": ("行业领域", "用“、”分隔"),
    "recipients[].limits": ("控制指标数值", "如 deaths_max: 1"),
    "recipients[].targets_extra": ("本单位另加指标", ""),
    "recipients_file": ("责任单位名单文件", ".xlsx 或 .csv，相对于本文件所在文件夹"),
}

#: The four counts of an accident or a statistics period (one wording for all of them).
COUNT_LABELS = {
    "accidents": "事故起数",
    "deaths": "死亡人数",
    "injured": "受伤人数",
    "missing": "失踪人数",
    "loss_wan": "直接经济损失（万元）",
    "serious_injured": "重伤人数",
}


#: The schema's true/false spec (INPUT.md v2: letters_signed, sealed), where the schema has it.
BOOL = getattr(s, "Bool", None)


def label_of(path: str) -> tuple[str, str]:
    """(label, hint) of a key path such as ``accidents[].deaths``."""
    if path in LABELS:
        return LABELS[path]
    last = path.rsplit(".", 1)[-1]
    if last in COUNT_LABELS and path != "accidents":
        return COUNT_LABELS[last], ""
    cause = path.replace("meeting.cause.", "accidents[].", 1)
    if cause != path and cause in LABELS:
        return LABELS[cause]
    batch = path.replace("batch[].", "", 1)
    if batch != path and batch in LABELS:
        return LABELS[batch]
    return last, ""


def field_of(spec: s.Spec, path: str, key: str, *, required: bool = False) -> dict[str, Any]:
    """A JSON description of one field: what the page draws for ``spec``."""
    label, hint = label_of(path)
    out: dict[str, Any] = {"key": key, "label": label, "hint": hint, "required": required}
    schema_hint = spec.hint()
    if BOOL is not None and isinstance(spec, BOOL):
        out["type"] = "bool"
    elif isinstance(spec, s.Enum):
        out["type"] = "enum"
        out["choices"] = [[v, g] for v, g in spec.choices.items()]
    elif isinstance(spec, s.Date):
        out["type"] = "date"
    elif isinstance(spec, s.DateOrText):
        out["type"] = "text"
        out["hint"] = hint or "日期（如 2024-07-31）或文字（如 6月底前）"
    elif isinstance(spec, s.Int):
        out.update(type="int", min=spec.min, max=spec.max)
    elif isinstance(spec, s.Number):
        out.update(type="number", min=spec.min)
    elif isinstance(spec, s.Names):
        out["type"] = "names"
        out["hint"] = hint or "多个名称用“、”分隔"
    elif isinstance(spec, s.Joined):
        out["type"] = "text"
    elif isinstance(spec, s.Text):
        out["type"] = "text"
    elif isinstance(spec, s.TextList):
        out["type"] = "textlist"
    elif isinstance(spec, s.NumberMap):
        out["type"] = "numbermap"
    elif isinstance(spec, s.AutoOr):
        out.update(type="auto", inner=field_of(spec.inner, path, key))
    elif isinstance(spec, s.TextOrMap):
        out = field_of(spec.mapping, path, key, required=required)
        out["text_key"] = spec.text_key
        return out
    elif isinstance(spec, s.ListOf):
        out.update(type="list", item=_item_of(spec.item, path + "[]"))
    elif isinstance(spec, s.Map):
        out.update(type="map", fields=_fields_of(spec, path))
    else:
        out["type"] = "text"
    if (
        schema_hint
        and out.get("type") not in ("map", "list", "date", "int", "number")
        and not out["hint"]
    ):
        out["hint"] = schema_hint
    return out


def _item_of(spec: s.Spec, path: str) -> dict[str, Any]:
    if isinstance(spec, s.Map) and not spec.fields and spec.extra == "keep":
        # notice batch entries: any key of the notice, drawn as the notice's scalar keys
        spec = s.Map(
            {
                k: v
                for k, v in s.NOTICE.fields.items()
                if k not in ("type", "batch") and not isinstance(v, s.Map | s.ListOf | s.AutoOr)
            }
        )
        return field_of(spec, path, "")
    return field_of(spec, path, "")


def _fields_of(spec: s.Map, path: str) -> list[dict[str, Any]]:
    out = []
    for key, sub in spec.fields.items():
        sub_path = f"{path}.{key}" if path else key
        out.append(field_of(sub, sub_path, key, required=sub.required))
    return out


def form_for(job_type: str) -> dict[str, Any]:
    """The whole form of a job kind (``speech`` …): a ``map`` field of its top-level keys."""
    schema = s.SCHEMAS[job_type]
    form = field_of(schema, "", "")
    form["fields"] = [f for f in form["fields"] if f["key"] != "type"]
    return form


#: The job kinds the editor creates and draws (the schema's own list).
KINDS = tuple(s.SCHEMAS)


def kind_of(value: Any) -> str | None:
    """The job kind a typed ``type`` names (``speech`` or ``讲话稿``), or None."""
    if not isinstance(value, str):
        return None
    text = s.nfkc(value)
    for candidate in (text, text.lower()):
        if candidate in s.JOB_TYPES:
            return candidate
        if candidate in s.JOB_TYPE_ALIASES:
            return s.JOB_TYPE_ALIASES[candidate]
    return None


def job_types() -> list[list[str]]:
    """[[value, 中文名], …] of the job kinds, for the 新建 chooser."""
    return [[v, g] for v, g in s.JOB_TYPES.items()]

"""The shape of one entry of a chapter's ``TEXTS``."""


def tr(es, id_, zh_CN):
    """An English figure text's Spanish, Indonesian and Chinese versions."""
    return {"es": es, "id": id_, "zh_CN": zh_CN}

"""Figure texts shared by several chapters (see :mod:`derivations.teaching.figure_text`)."""

from derivations.teaching.figure_text._table import tr

TEXTS = {
    "class {j}": tr("clase {j}", "kelas {j}", "类别 {j}"),
    "loss": tr("pérdida", "loss", "损失"),
    "gradient": tr("gradiente", "gradien", "梯度"),
}

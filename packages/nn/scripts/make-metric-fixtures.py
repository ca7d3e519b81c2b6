# Writes fixtures/metrics.json: scikit-learn's metrics and PyTorch's weighted cross-entropy
# and Huber loss on seeded random cases. Run with Debian's Python from packages/nn:
#   /usr/bin/python3 scripts/make-metric-fixtures.py
import json
import numpy as np
import sklearn, torch
import torch.nn.functional as F
from sklearn import metrics
from sklearn.utils.class_weight import compute_class_weight

r = np.random.default_rng(42)
cases = []

def binary_case(name, n, positive_share, ties):
    y = (r.random(n) < positive_share).astype(int)
    if y.sum() == 0: y[0] = 1
    s = np.clip(0.35 * y + r.random(n) * 0.7, 0, 1)
    if ties: s = np.round(s, 1)  # many equal scores
    p = np.stack([1 - s, s], axis=1)
    pred = (s > 0.5).astype(int)
    prf = metrics.precision_recall_fscore_support(y, pred, zero_division=0)
    return {
        "name": name, "classes": 2, "labels": y.tolist(), "probabilities": p.ravel().tolist(),
        "accuracy": metrics.accuracy_score(y, pred),
        "confusion": metrics.confusion_matrix(y, pred, labels=[0, 1]).tolist(),
        "perClass": {"precision": prf[0].tolist(), "recall": prf[1].tolist(), "f1": prf[2].tolist(), "support": prf[3].tolist()},
        "macro": list(metrics.precision_recall_fscore_support(y, pred, average="macro", zero_division=0)[:3]),
        "weighted": list(metrics.precision_recall_fscore_support(y, pred, average="weighted", zero_division=0)[:3]),
        "rocAuc": metrics.roc_auc_score(y, s), "averagePrecision": metrics.average_precision_score(y, s),
        "logLoss": metrics.log_loss(y, p, labels=[0, 1]),
        "classWeights": compute_class_weight("balanced", classes=np.array([0, 1]), y=y).tolist(),
    }

cases.append(binary_case("binary with tied scores", 60, 0.4, True))
cases.append(binary_case("imbalanced, 5% positive", 400, 0.05, False))

k, n = 3, 90
y = r.integers(0, k, n)
logits = r.normal(size=(n, k)) + 1.2 * np.eye(k)[y]
p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
pred = p.argmax(1)
prf = metrics.precision_recall_fscore_support(y, pred, zero_division=0)
cases.append({
    "name": "three classes", "classes": 3, "labels": y.tolist(), "probabilities": p.ravel().tolist(), "logits": logits.ravel().tolist(),
    "accuracy": metrics.accuracy_score(y, pred), "confusion": metrics.confusion_matrix(y, pred).tolist(),
    "perClass": {"precision": prf[0].tolist(), "recall": prf[1].tolist(), "f1": prf[2].tolist(), "support": prf[3].tolist()},
    "macro": list(metrics.precision_recall_fscore_support(y, pred, average="macro", zero_division=0)[:3]),
    "weighted": list(metrics.precision_recall_fscore_support(y, pred, average="weighted", zero_division=0)[:3]),
    "rocAuc": metrics.roc_auc_score(y, p, multi_class="ovr", average="macro"),
    "averagePrecision": metrics.average_precision_score(np.eye(k)[y], p, average="macro"),
    "logLoss": metrics.log_loss(y, p), "classWeights": compute_class_weight("balanced", classes=np.arange(k), y=y).tolist(),
    "weightedCrossEntropy": F.cross_entropy(torch.tensor(logits), torch.tensor(y), weight=torch.tensor(compute_class_weight("balanced", classes=np.arange(k), y=y))).item(),
})

# Binary weighted cross-entropy from one logit: PyTorch's binary_cross_entropy_with_logits with per-row weights, normalized by their sum.
z = r.normal(size=50); yb = (r.random(50) < 0.2).astype(float); w = np.where(yb == 1, 3.0, 0.5)
bce = (F.binary_cross_entropy_with_logits(torch.tensor(z), torch.tensor(yb), weight=torch.tensor(w), reduction="sum") / w.sum()).item()

t = r.normal(size=80) * 3; q = t + r.standard_t(2, size=80)
reg = {"target": t.tolist(), "predicted": q.tolist(), "r2": metrics.r2_score(t, q), "mae": metrics.mean_absolute_error(t, q), "mse": metrics.mean_squared_error(t, q),
       "huber": {str(d): F.huber_loss(torch.tensor(q), torch.tensor(t), delta=d).item() for d in (0.5, 1.0, 2.0)}}

with open("fixtures/metrics.json", "w") as f:
    json.dump({"sklearn": sklearn.__version__, "torch": torch.__version__, "numpy": np.__version__, "cases": cases,
               "binaryWeighted": {"logits": z.tolist(), "target": yb.tolist(), "weights": [0.5, 3.0], "loss": bce}, "regression": reg}, f)
print("ok")

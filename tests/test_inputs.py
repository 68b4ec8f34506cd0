"The class order end to end, on real data: ordinal grades keep the user's order in the DataLoaders, model.json, predict and kappa."
import json
import numpy as np, pandas as pd
from sklearn.metrics import cohen_kappa_score

GRADES = ['No_DR', 'Mild', 'Moderate', 'Severe', 'Proliferate_DR']

def _retina(data):
    "RetinaMNIST's items with its grades named as the DR scale, in folders that sort alphabetically."
    from medfast.data import from_npz
    it = from_npz(data/'retinamnist'/'retinamnist.npz')
    return it.assign(label=it['label'].str[-1].astype(int).map(dict(enumerate(GRADES))))

def test_ordinal_kappa_uses_the_given_order(data):
    "A grader always one grade high: quadratic kappa in the DR order (as scikit-learn with labels=GRADES), not the alphabet's."
    from medfast.metrics import evaluate
    t = _retina(data).query("split == 'test'").reset_index(drop=True)
    g = t['label'].map(GRADES.index).to_numpy()
    pred = np.minimum(g + 1, 4)
    def table(order):
        probs = np.eye(5)[[order.index(GRADES[p]) for p in pred]]
        return pd.DataFrame({'path': t['path'], 'split': 'test', 'target': t['label'], 'pred': [GRADES[p] for p in pred],
                             **{f'prob_{c}': probs[:, j] for j, c in enumerate(order)}})
    want = cohen_kappa_score(g, pred, weights='quadratic')
    got = evaluate(table(GRADES), kappa_weights='quadratic')['overall']['kappa']
    alpha = evaluate(table(sorted(GRADES)), kappa_weights='quadratic')['overall']['kappa']
    assert abs(got - want) < 1e-12 and want > 0.6 and alpha < want - 0.2, (got, want, alpha)

def test_class_order_reaches_the_export_and_predict(tmp_path, data):
    "classes=GRADES: dls.vocab, model.json and predict's probability columns keep it."
    from medfast.data import get_dls
    from medfast.train import medical_learner
    from medfast.inference import export_model, predict
    it = _retina(data).groupby(['split', 'label']).head(4).reset_index(drop=True)
    dls = get_dls(it, size=32, bs=8, classes=GRADES)
    assert list(dls.vocab) == GRADES
    learn = medical_learner(dls, 'resnet18', pretrained='none', seed=0)
    export_model(learn, tmp_path/'m')
    assert json.loads((tmp_path/'m'/'model.json').read_text())['classes'] == GRADES
    p = predict(tmp_path/'m', it['path'][:3])
    assert [c[5:] for c in p.columns if c.startswith('prob_')] == GRADES

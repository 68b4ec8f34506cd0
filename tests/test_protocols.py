"End-to-end checks of `medfast cv`, `compare` and `sweep` on the brain MRIs, at tiny sizes."
import json, signal, subprocess, os, time
from pathlib import Path
import numpy as np, pandas as pd
from scipy import stats

def _tiny(weights, seed=4, lr='1e-3'):
    return ['--size', '32', '--epochs', '1', '--freeze-epochs', '0', '--lr', lr, '--n-boot', '20', '--seed', str(seed), '--tta', '0',
            '--pretrained', str(weights/'mobilenetv2_100.tv_in1k.safetensors')]

def _done(out): return sorted(Path(out).glob('*/repeat*_fold*/metrics.json'))

def test_cv_killed_and_resumed_gives_the_same_table(tmp_path, data, weights, medfast):
    "Kill `medfast cv` after its first fold, rerun it: only the other folds train, and the table is the uninterrupted one."
    from medfast.experiment import cv_scores
    args = ['cv', data/'brain_mri', '--arch', 'mobilenetv2_100', '--k', '3', *_tiny(weights)]
    full = medfast(*args, '--out', tmp_path/'full')
    assert full.returncode == 0, full.stderr[-3000:]
    assert '3 job(s) trained now, 0 kept' in full.stdout
    out = tmp_path/'killed'
    p = subprocess.Popen(['medfast', *map(str, args), '--out', str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env={**os.environ, 'MPLBACKEND': 'Agg'}, start_new_session=True)
    t0 = time.time()
    while not _done(out) and p.poll() is None and time.time() - t0 < 600: time.sleep(0.05)
    os.killpg(p.pid, signal.SIGKILL); p.wait()
    first = {f: f.stat().st_mtime_ns for f in _done(out)}
    assert 1 <= len(first) < 3, f"{len(first)} folds had finished when the run was killed"
    assert not (out/'summary.html').exists()                                      # it really stopped halfway
    again = medfast(*args, '--out', out)
    assert again.returncode == 0, again.stderr[-3000:]
    assert f'{3 - len(first)} job(s) trained now, {len(first)} kept' in again.stdout
    assert {f: f.stat().st_mtime_ns for f in first} == first                      # finished folds untouched
    a, b = (cv_scores(d).drop(columns='seconds') for d in (tmp_path/'full', out))
    pd.testing.assert_frame_equal(a, b)                                            # the same table
    assert (out/'summary.html').is_file() and 'Unfinished' not in (out/'summary.html').read_text()
    r = medfast(*args[:-2], '--seed', '5', '--out', out)                           # other folds in the same folder
    assert r.returncode == 2 and 'other folds' in r.stderr

def test_compare_two_backbones_3x2(tmp_path, data, weights, medfast):
    "Two backbones, 3 folds repeated twice: the table, Wilcoxon p-values equal to scipy's, the charts in summary.html."
    out = tmp_path/'cmp'
    r = medfast('compare', data/'brain_mri', '--arch', 'mobilenetv2_100,resnet18', '--k', '3', '--repeats', '2',
                *_tiny(weights), '--pretrained', f"mobilenetv2_100={weights/'mobilenetv2_100.tv_in1k.safetensors'},resnet18=none",
                '--out', out)
    assert r.returncode == 0, r.stderr[-3000:]
    assert '12 job(s) trained now' in r.stdout and 'Wilcoxon (accuracy) mobilenetv2_100 vs resnet18' in r.stdout
    sc, tests = pd.read_csv(out/'scores.csv'), pd.read_csv(out/'tests.csv')
    assert len(sc) == 12 and sc.groupby('model').size().to_dict() == {'mobilenetv2_100': 6, 'resnet18': 6}
    for metric in ['accuracy', 'balanced_accuracy']:
        from medfast.experiment import paired_tests
        t = paired_tests(sc, metric).iloc[0]
        x, y = (sc[sc.model == m].sort_values(['repeat', 'fold'])[metric].to_numpy() for m in ('mobilenetv2_100', 'resnet18'))
        if (x != y).any():
            w = stats.wilcoxon(x, y)
            assert np.isclose(t.statistic, w.statistic) and np.isclose(t.p_value, w.pvalue), (metric, t, w)
    assert np.isclose(tests.p_value.iloc[0], paired_tests(sc, 'accuracy').p_value.iloc[0])
    ref = paired_tests(sc, 'accuracy', ratio=1 / (3 - 1)).iloc[0]                 # the corrected resampled t-test, 3 folds
    assert np.isclose(tests.p_corrected.iloc[0], ref.p_corrected) and 'corrected resampled t-test p' in r.stdout
    html = (out/'summary.html').read_text()
    for h in ['Results', 'Paired tests', 'Charts', 'Scores per fold', 'Settings']: assert f'<h2>{h}</h2>' in html
    assert html.count('<img src="data:image/png;base64,') >= 3
    folds = pd.read_csv(out/'folds.csv')
    assert set(folds.fold_0) == {0, 1, 2} and not (folds.fold_0 == folds.fold_1).all()

def test_sweep_stages(tmp_path, data, weights, medfast):
    "The study's sweep: two backbones × two batch sizes, then lr, then augmentation, then fine-tuning; resumable."
    out = tmp_path/'sweep'
    w = {a: weights/f for a, f in [('mobilenetv2_100', 'mobilenetv2_100.tv_in1k.safetensors'),
                                   ('tf_efficientnet_lite0', 'tf_efficientnet_lite0.in1k.safetensors')]}
    args = ['sweep', data/'brain_mri', '--arch', ','.join(w), '--bs', '16,32', '--aug', 'on,off', '--unfreeze', '0,0.5',
            *_tiny(weights, lr='1e-3,3e-3'), '--pretrained', ','.join(f'{a}={p}' for a, p in w.items()), '--out', out]
    r = medfast(*args)
    assert r.returncode == 0, r.stderr[-3000:]
    res = pd.read_csv(out/'results.csv')
    assert res.step.unique().tolist() == ['arch+bs', 'lr', 'aug', 'unfreeze'] and res.groupby('stage').chosen.sum().tolist() == [1] * 4
    s1 = res[res.stage == 1]                                                       # the study's starting settings
    assert set(s1.unfreeze) == {0.0} and set(s1.aug) == {False} and set(s1.lr) == {1e-3} and set(s1.opt) == {'adam'}
    assert set(s1.schedule) == {'constant'} and set(s1.early_stopping) == {10} and set(s1.reduce_lr) == {5}
    assert set(res[res.stage == 4].unfreeze) == {0.0, 0.5} and set(res[res.stage == 4].unfreeze_lr) == {1e-5}
    best = json.loads((out/'best.json').read_text())['config']
    last = res[res.chosen].iloc[-1]
    assert (best['arch'], best['bs'], best['lr'], best['unfreeze']) == (last.arch, last.bs, last.lr, last.unfreeze)
    from medfast.config import load_config, config_dict
    bc, bd = load_config(out/'best.json')                                          # `medfast train --config OUT/best.json`
    assert config_dict(bc) == best and bd['source'] == str((data/'brain_mri').absolute())
    assert 'best    : ' in r.stdout and (out/'summary.html').is_file()
    n = len(list((out/'configs').glob('*/metrics.json')))
    assert n == res.config.nunique() == 7                                          # 4 + 1 + 1 + 1: shared ones trained once
    html = (out/'summary.html').read_text()
    assert html.count('<img src="data:image/png;base64,') == 4                    # accuracy, macro precision, recall, F1
    again = medfast(*args)
    assert again.returncode == 0 and '0 job(s) trained now, 7 kept' in again.stdout

def test_cv_takes_every_training_option(tmp_path, data, weights, medfast):
    "`medfast cv` with the leukemia protocol's options (focal loss, undersampling, smear augmentation): each fold's config.json has them."
    from medfast.config import load_config
    out = tmp_path/'cv'
    r = medfast('cv', data/'all_leukemia_subset', '--k', '3', '--loss', 'focal', '--gamma', '2', '--balance', 'under',
                '--aug', 'smear', *_tiny(weights), '--out', out)
    assert r.returncode == 0, r.stderr[-3000:]
    folds = sorted(out.glob('*/repeat*_fold*'))
    assert len(folds) == 3
    for d in folds:
        c, _ = load_config(d/'config.json')
        assert (c.loss, c.gamma, c.balance, c.aug, c.size, c.lr) == ('focal', 2.0, 'under', 'smear', 32, 1e-3)
        counts = json.loads((d/'metrics.json').read_text())['job']['train_counts']
        assert len(counts) == 4 and len(set(counts.values())) == 1               # undersampled: equal training classes
    from medfast.experiment import cv_scores
    assert {'macro_precision', 'macro_recall', 'macro_f1', 'n_correct', 'n_incorrect'} <= set(cv_scores(out).columns)
    html = (out/'summary.html').read_text()
    assert '<th>macro_precision</th>' in html and '<th>macro_recall</th>' in html  # the study's table columns

def test_compare_three_configurations_3x2(tmp_path, data, weights, medfast):
    "Three loss configurations of one backbone on the same 3 folds × 2 repeats: the table, the paired tests, the charts."
    from medfast.experiment import paired_tests
    out = tmp_path/'losses'
    names = ['ce', 'weighted_ce', 'focal g2 a.75']
    r = medfast('compare', data/'brain_mri', '--k', '3', '--repeats', '2', *_tiny(weights), '--variant', 'ce=--loss ce',
                '--variant', 'weighted_ce=--loss weighted_ce --class-weights inverse',
                '--variant', 'focal g2 a.75=--loss focal --gamma 2 --alpha 0.75', '--out', out)
    assert r.returncode == 0, r.stderr[-3000:]
    assert '18 job(s) trained now' in r.stdout and 'Wilcoxon (accuracy) ce vs weighted_ce' in r.stdout
    sc, tests = pd.read_csv(out/'scores.csv'), pd.read_csv(out/'tests.csv')
    assert list(pd.unique(sc.model)) == names and sc.groupby('model').size().tolist() == [6, 6, 6]
    ref = paired_tests(sc, 'accuracy', ratio=1 / 2)
    assert len(tests) == 3 and np.allclose(tests.p_holm, ref.p_holm) and np.allclose(tests.p_corrected, ref.p_corrected)
    html = (out/'summary.html').read_text()
    for h in ['Results', 'Paired tests', 'Charts', 'Settings']: assert f'<h2>{h}</h2>' in html
    assert html.count('<img src="data:image/png;base64,') >= 3
    focal = json.loads((out/'focal_g2_a.75'/'repeat1_fold2'/'config.json').read_text())
    assert (focal['loss'], focal['gamma'], focal['alpha']) == ('focal', 2.0, 0.75)

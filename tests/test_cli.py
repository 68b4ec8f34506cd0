"End-to-end checks of the `medfast` command on real data (brain MRI, BreastMNIST), at tiny sizes."
import ast, json, os, shutil
from pathlib import Path
import pandas as pd
import pytest

TINY = ['--size', '32', '--bs', '32', '--epochs', '1', '--lr-find-iters', '10', '--tta', '0']   # TTA (the default) is tested where it is the subject

@pytest.fixture(scope='module')
def brain_run(tmp_path_factory, data, weights, medfast):
    "One small brain-MRI run with the local MobileNetV2 weights (shared by several tests)."
    out = tmp_path_factory.mktemp('runs')/'brain'
    r = medfast('train', data/'brain_mri', '--arch', 'mobilenetv2_100', '--pretrained',
                weights/'mobilenetv2_100.tv_in1k.safetensors', *TINY, '--freeze-epochs', '1',
                '--valid-pct', '0.2', '--test-pct', '0.1', '--seed', '1', '--out', out)
    assert r.returncode == 0, r.stderr[-3000:]
    return out, r

def test_train_writes_every_result(brain_run, data):
    out, r = brain_run
    for f in ['items.csv', 'audit.csv', 'class_counts.csv', 'history.csv', 'predictions.csv',
              'metrics.json', 'metrics.csv', 'confusion_valid.png', 'confusion_test.png', 'summary.json',
              'model/model.safetensors', 'model/model.json', 'report.html']:
        assert (out/f).is_file(), f
    assert not (out/'lr_find.png').exists() and "lr 2.00e-03 (fastai's fine-tuning default)" in r.stdout   # pretrained: no lr_find
    items = pd.read_csv(out/'items.csv')
    n_files = sum(1 for p in (data/'brain_mri').rglob('*') if p.is_file() and not p.name.startswith('.'))
    assert len(items) == n_files and set(items['split']) == {'train', 'valid', 'test'}
    m = json.loads((out/'metrics.json').read_text())
    assert list(m['splits']) == ['valid', 'test'] and 0 <= m['splits']['valid']['overall']['accuracy'] <= 1
    ci = m['splits']['test']['ci']['accuracy']
    assert ci['low'] <= ci['estimate'] <= ci['high']
    assert m['threshold']['picked_on'] == 'valid' and 0 <= m['threshold']['value'] <= 1     # binary: an operating threshold
    assert m['calibration']['fitted_on'] == 'valid' and set(m['calibration']['ece']) == {'valid', 'test'}
    assert 'local weights file' in r.stdout and 'mobilenetv2_100.tv_in1k.safetensors' in r.stdout
    assert 'accuracy' in r.stdout and '95% CI' in r.stdout
    assert '\r' not in r.stdout and 'epoch  train_loss  valid_loss' in r.stdout   # a pipe gets plain lines, not bar redraws
    _check_report(out, n_splits=2)

def _check_report(out, n_splits):
    "report.html holds every section, Grad-CAM grids from the exported model, and nothing from the network."
    from medfast.report import SECTIONS
    html = (out/'report.html').read_text()
    for h in SECTIONS: assert f'<h2>{h}</h2>' in html, h
    assert 'Skipped' not in html                                   # every section has its content
    cam = html.split('<h2>Grad-CAM on the top losses</h2>')[1].split('<h2>')[0]
    assert cam.count('<img src="data:image/png;base64,') == n_splits
    assert 'https://' not in html and 'http://' not in html and '<script' not in html

def test_retinamnist_ordinal_run(tmp_path, data, weights, medfast):
    "RetinaMNIST (5 ordinal grades, official splits): quadratic kappa, test-time augmentation, lr_find's valley, the full report."
    out = tmp_path/'retina'
    r = medfast('train', data/'retinamnist'/'retinamnist.npz', '--arch', 'mobilenetv2_100', '--pretrained',
                weights/'mobilenetv2_100.tv_in1k.safetensors', *TINY, '--freeze-epochs', '1', '--tta', '2', '--lr', 'valley',
                '--kappa-weights', 'quadratic', '--n-boot', '200', '--seed', '1', '--out', out)
    assert r.returncode == 0, r.stderr[-3000:]
    from medfast.metrics import load_preds, evaluate
    preds = load_preds(out/'predictions.csv')
    assert set(preds['tta']) == {2} and preds['split'].value_counts().to_dict() == {'test': 400, 'valid': 120}
    m = json.loads((out/'metrics.json').read_text())
    assert m['settings']['kappa_weights'] == 'quadratic' and m['settings']['tta'] == 2
    assert m['splits']['test']['overall']['kappa'] == evaluate(preds, 'test', kappa_weights='quadratic')['overall']['kappa']
    assert {'roc_auc_macro', 'roc_auc_micro', 'recall[grade_4]'} <= set(m['splits']['test']['ci'])
    assert 'threshold' not in m and m['calibration']['temperature'] > 0          # no single threshold for 5 grades
    summ = json.loads((out/'summary.json').read_text())
    assert (summ['tta'], summ['kappa_weights']) == (2, 'quadratic')
    assert (out/'lr_find.png').is_file() and (summ['lr_from'], summ['lr_used']) == ('valley', summ['lr_find']['valley'])   # --lr valley
    _check_report(out, n_splits=2)
    assert 'quadratic-weighted' in (out/'report.html').read_text()

def test_predictions_file_matches_exported_model(brain_run):
    "The exported model (safetensors + JSON, no pickle) reproduces the saved valid probabilities."
    from medfast.inference import load_model, predict
    out, _ = brain_run
    preds = pd.read_csv(out/'predictions.csv')
    valid = preds[preds['split'] == 'valid'].reset_index(drop=True)
    model, meta = load_model(out/'model')
    again = predict((model, meta), valid['path'].tolist())
    cols = [c for c in valid.columns if c.startswith('prob_')]
    assert list(again['path']) == list(valid['path'])
    assert (again[cols].values - valid[cols].values).__abs__().max() < 1e-4

def test_same_seed_same_metrics(brain_run, tmp_path, data, weights, medfast):
    out, _ = brain_run
    r = medfast('train', data/'brain_mri', '--arch', 'mobilenetv2_100', '--pretrained',
                weights/'mobilenetv2_100.tv_in1k.safetensors', *TINY, '--freeze-epochs', '1',
                '--valid-pct', '0.2', '--test-pct', '0.1', '--seed', '1', '--out', tmp_path/'again')
    assert r.returncode == 0, r.stderr[-3000:]
    assert (tmp_path/'again'/'items.csv').read_text() == (out/'items.csv').read_text()
    def metrics(d):   # everything but the training time, which differs between two runs
        m = json.loads((d/'metrics.json').read_text()); m['job'].pop('seconds'); return m
    assert metrics(tmp_path/'again') == metrics(out)

def test_random_weights_are_announced(tmp_path, data, medfast):
    r = medfast('train', data/'brain_mri', '--arch', 'resnet18', '--pretrained', 'none', *TINY,
                '--valid-pct', '0.2', '--seed', '1', '--out', tmp_path/'r18')
    assert r.returncode == 0, r.stderr[-3000:]
    assert 'random' in r.stdout.lower()
    assert 'random' in json.loads((tmp_path/'r18'/'summary.json').read_text())['weights']

def test_refuses_non_empty_out(brain_run, data, medfast):
    out, _ = brain_run
    before = (out/'metrics.json').read_text()
    r = medfast('train', data/'brain_mri', '--pretrained', 'none', *TINY, '--out', out)
    assert r.returncode == 2 and 'not empty' in r.stderr and '--overwrite' in r.stderr
    assert (out/'metrics.json').read_text() == before

def test_unreachable_hub_names_both_alternatives(tmp_path, data, medfast):
    r = medfast('train', data/'brain_mri', '--arch', 'resnet18', '--pretrained', 'imagenet', *TINY,
                '--out', tmp_path/'hub', env={'HF_HUB_OFFLINE': '1'})
    assert r.returncode == 2, r.stderr[-2000:]
    assert '--pretrained none' in r.stderr and '--pretrained PATH' in r.stderr.replace('path/to', 'PATH')
    assert not (tmp_path/'hub'/'model').exists()      # no silent fallback to random weights

def test_csv_reports_every_missing_file(tmp_path, data, medfast):
    imgs = sorted((data/'brain_mri'/'yes').iterdir())[:6] + sorted((data/'brain_mri'/'no').iterdir())[:6]
    rows = [(str(p), p.parent.name) for p in imgs] + [(f'/nowhere/missing_{i}.jpg', 'yes') for i in range(3)]
    pd.DataFrame(rows, columns=['file', 'diagnosis']).to_csv(tmp_path/'items.csv', index=False)
    r = medfast('train', tmp_path/'items.csv', '--path-col', 'file', '--label-col', 'diagnosis', *TINY,
                '--pretrained', 'none', '--out', tmp_path/'o')
    assert r.returncode == 2
    assert '3' in r.stderr and all(f'missing_{i}.jpg' in r.stderr for i in range(3))

def test_truncated_jpeg_is_named(tmp_path, data, medfast):
    for label in ['yes', 'no']:
        (tmp_path/'d'/label).mkdir(parents=True)
        for p in sorted((data/'brain_mri'/label).iterdir())[:8]: shutil.copy(p, tmp_path/'d'/label/p.name)
    good = sorted((data/'brain_mri'/'yes').glob('*.jpg'))[0].read_bytes()
    (tmp_path/'d'/'yes'/'broken_scan.jpg').write_bytes(good[:len(good)//2])
    r = medfast('train', tmp_path/'d', '--pretrained', 'none', *TINY, '--out', tmp_path/'o')
    assert r.returncode == 2 and 'broken_scan.jpg' in r.stderr

def test_demo_runs(tmp_path, medfast):
    "`cd $(mktemp -d) && medfast demo`, as the README says: the default, relative folder medfast-demo/."
    r = medfast('demo', '--epochs', '3', cwd=tmp_path)   # the demo's 30 epochs take 2.5 min here: benchmarks/demo_recipe.py
    assert r.returncode == 0, r.stderr[-3000:]
    out = tmp_path/'medfast-demo'
    assert (out/'predictions.csv').is_file() and (out/'training_log.csv').is_file() and 'demo' in r.stdout
    s = json.loads((out/'summary.json').read_text())
    assert set(s['metrics']) == {'valid', 'test'} and s['splits'] == {'train': 546, 'valid': 78, 'test': 156}

def test_relative_paths_from_another_directory(tmp_path, data, medfast):
    "`medfast train DATA --out runs/x` typed in the user's own folder, with DATA and --out both relative."
    rel = os.path.relpath(data/'brain_mri', tmp_path)
    r = medfast('train', rel, '--arch', 'resnet18', '--pretrained', 'none', *TINY, '--out', 'runs/x', cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    out = tmp_path/'runs'/'x'
    for f in ['metrics.json', 'training_log.csv', 'report.html', 'model/model.json']: assert (out/f).is_file(), f
    assert not (out/'runs').exists()                      # nothing written to runs/x/runs/x
    r = medfast('report', 'runs/x', cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]

def test_predict_command_matches_run(brain_run, tmp_path, medfast):
    "`medfast predict` on the run's model reproduces the run's own test probabilities."
    out, _ = brain_run
    test = pd.read_csv(out/'predictions.csv').query("split == 'test'").reset_index(drop=True)
    r = medfast('predict', out/'model', *test['path'], '--out', tmp_path/'p.csv')
    assert r.returncode == 0, r.stderr[-2000:]
    got = pd.read_csv(tmp_path/'p.csv')
    cols = [c for c in test.columns if c.startswith('prob_')]
    assert list(got['path']) == list(test['path']) and list(got['pred']) == list(test['pred'])
    assert abs(got[cols].values - test[cols].values).max() < 1e-4
    r = medfast('predict', out/'model', *test['path'], '--out', tmp_path/'p.csv')
    assert r.returncode == 2 and 'already exists' in r.stderr

def test_leukemia_protocol_dual_segmented(tmp_path, data, weights, medfast):
    "The leukemia protocol from the command line: smear augmentation, focal loss, undersampling, original + HSV-segmented input."
    out = tmp_path/'leuk'
    r = medfast('train', data/'all_leukemia_subset', '--arch', 'mobilenetv2_100', '--pretrained',
                weights/'mobilenetv2_100.tv_in1k.safetensors', *TINY, '--freeze-epochs', '1', '--valid-pct', '0.2',
                '--test-pct', '0.2', '--aug', 'smear', '--loss', 'focal', '--gamma', '2', '--class-weights', 'effective',
                '--balance', 'under', '--segment', 'blast', '--dual', '--n-boot', '100', '--seed', '1', '--out', out)
    assert r.returncode == 0, r.stderr[-3000:]
    summ = json.loads((out/'summary.json').read_text())
    assert (summ['segment'], summ['dual'], summ['loss'], summ['aug'], summ['balance']) == ('blast', True, 'focal', 'smear', 'under')
    assert summ['loss_kw'] == {'gamma': 2.0, 'weights': 'effective'}
    assert len(set(summ['train_counts'].values())) == 1                      # undersampled to equal training classes
    items, train = pd.read_csv(out/'items.csv'), pd.read_csv(out/'train_items.csv')
    rest = lambda d: d[d['split'] != 'train'].reset_index(drop=True)
    pd.testing.assert_frame_equal(rest(items), rest(train))                    # valid and test rows untouched
    meta = json.loads((out/'model'/'model.json').read_text())
    assert meta['dual'] == {'shared': False, 'concat_pool': True}
    assert meta['dual_tfms'][0]['tfm'] == 'medfast.segment.HSVSegment' and meta['dual_tfms'][0]['preset'] == 'blast'
    from medfast.inference import predict
    preds = pd.read_csv(out/'predictions.csv')
    test = preds[preds['split'] == 'test'].reset_index(drop=True)
    again = predict(out/'model', test['path'].tolist())
    cols = [c for c in test.columns if c.startswith('prob_')]
    assert abs(again[cols].values - test[cols].values).max() < 1e-4           # the exported two-input model reproduces the run
    _check_report(out, n_splits=2)                                             # Grad-CAM on the original-image branch

def test_bad_protocol_options(tmp_path, data, medfast):
    r = medfast('train', data/'all_leukemia_subset', '--dual', '--pretrained', 'none', *TINY, '--out', tmp_path/'x')
    assert r.returncode == 2 and '--segment' in r.stderr
    r = medfast('train', data/'all_leukemia_subset', '--segment', 'blastt', '--out', tmp_path/'y')
    assert r.returncode == 2 and 'blast' in r.stderr                            # argparse names the valid presets
    r = medfast('train', data/'all_leukemia_subset', '--bs', '1', '--out', tmp_path/'z')
    assert r.returncode == 2 and 'bs=1 (--bs): must be >= 2; bs is the batch size (at least 2: BatchNorm needs two images).' in r.stderr
    assert not (tmp_path/'z').exists()

def test_brain_head_run_exports_and_reports(tmp_path, data, weights, medfast):
    "`--head brain` (the brain-MRI study's head) trains, exports as kind 'brain', predicts and gets its Grad-CAM report."
    out = tmp_path/'bh'
    r = medfast('train', data/'brain_mri', '--arch', 'mobilenetv2_100', '--pretrained', weights/'mobilenetv2_100.tv_in1k.safetensors',
                *TINY, '--head', 'brain', '--valid-pct', '0.2', '--test-pct', '0.1', '--seed', '1', '--n-boot', '100', '--out', out)
    assert r.returncode == 0, r.stderr[-3000:]
    meta = json.loads((out/'model'/'model.json').read_text())
    assert meta['head'] == dict(kind='brain', lin_ftrs=[128, 64], ps=0.35, pool=True)
    assert json.loads((out/'summary.json').read_text())['head'] == 'brain'
    _check_report(out, n_splits=2)
    test = pd.read_csv(out/'predictions.csv').query("split == 'test'").reset_index(drop=True)
    p = medfast('predict', out/'model', *test['path'], '--out', tmp_path/'p.csv')
    assert p.returncode == 0, p.stderr[-2000:]
    cols = [c for c in test.columns if c.startswith('prob_')]
    assert (pd.read_csv(tmp_path/'p.csv')[cols].values - test[cols].values).__abs__().max() < 1e-4

def test_bf16_training_exports_fp32_and_predicts_the_same(tmp_path, data, weights, medfast):
    "`--precision bf16` trains with CPU autocast; the export is fp32 and `medfast predict` gives the run's own classes."
    out = tmp_path/'bf16'
    r = medfast('train', data/'brain_mri', '--arch', 'mobilenetv2_100', '--pretrained', weights/'mobilenetv2_100.tv_in1k.safetensors',
                *TINY, '--precision', 'bf16', '--valid-pct', '0.2', '--test-pct', '0.1', '--seed', '1', '--n-boot', '100', '--out', out)
    assert r.returncode == 0, r.stderr[-3000:]
    assert json.loads((out/'config.json').read_text())['precision'] == 'bf16'
    from safetensors import safe_open
    with safe_open(str(out/'model'/'model.safetensors'), 'pt') as f:
        assert {str(f.get_tensor(k).dtype) for k in f.keys() if f.get_tensor(k).is_floating_point()} == {'torch.float32'}
    test = pd.read_csv(out/'predictions.csv').query("split == 'test'").reset_index(drop=True)
    p = medfast('predict', out/'model', *test['path'], '--out', tmp_path/'p.csv')
    assert p.returncode == 0, p.stderr[-2000:]
    got = pd.read_csv(tmp_path/'p.csv')
    assert list(got['pred']) == list(test['pred'])
    cols = [c for c in test.columns if c.startswith('prob_')]
    assert abs(got[cols].values - test[cols].values).max() < 1e-4
    h = pd.read_csv(out/'history.csv')
    assert {'train_loss', 'train_accuracy', 'valid_loss', 'accuracy'} <= set(h.columns)    # the studies' curves

def test_augment_valid_is_warned_and_scored(tmp_path, data, medfast):
    "`--augment-valid` (the scleroderma study) copies validation images too: warned, and the copies are scored with valid."
    out = tmp_path/'av'
    r = medfast('train', data/'brain_mri', '--arch', 'resnet18', '--pretrained', 'none', *TINY, '--aug', 'mri',
                '--offline-aug', '1', '--augment-valid', '--valid-pct', '0.2', '--test-pct', '0.1', '--n-boot', '100', '--out', out,
                env={'PYTHONWARNINGS': 'default'})   # CI ignores warnings; a user sees them
    assert r.returncode == 0, r.stderr[-3000:]
    assert 'scleroderma' in r.stderr                                      # warned while it runs,
    assert 'CAUTION : Offline copies of validation images' in r.stdout    # and in the run's summary
    assert 'Caution: Offline copies of validation images' in (out/'report.html').read_text()   # and in its report
    items, preds = pd.read_csv(out/'items.csv'), pd.read_csv(out/'predictions.csv')
    n = items['split'].value_counts()
    assert preds['split'].value_counts().to_dict() == {'valid': 2 * n['valid'], 'test': n['test']}
    r = medfast('train', data/'brain_mri', '--augment-valid', '--out', tmp_path/'no')
    assert r.returncode == 2 and '--offline-aug' in r.stderr and not (tmp_path/'no').exists()

def test_dicom_run_window_patients_and_predict_folder(tmp_path, data, medfast):
    "CT DICOM (RLE) with --window -600,1500 (typed as --help shows it), from another folder: patients from PatientID, the window kept for predict."
    shutil.copytree(data/'ct_dicom', tmp_path/'ct')
    r = medfast('train', 'ct', '--arch', 'resnet18', '--pretrained', 'none', *TINY, '--window', '-600,1500', '--bs', '8',
                '--valid-pct', '0.25', '--test-pct', '0.2', '--seed', '1', '--n-boot', '50', '--out', 'runs/ct', cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    run = tmp_path/'runs'/'ct'
    items = pd.read_csv(run/'items.csv')
    lab = pd.read_csv(data/'ct_dicom'/'labels.csv')
    assert len(items) == 94 and dict(zip(items['path'].map(lambda p: Path(p).name), items['patient'])) == \
        dict(zip(lab['path'].map(lambda p: Path(p).name), lab['patient']))
    assert items.groupby('patient')['split'].nunique().max() == 1                  # patients kept in one split
    assert json.loads((run/'model'/'model.json').read_text())['read']['window'] == '-600,1500'
    test = pd.read_csv(run/'predictions.csv').query("split == 'test'").reset_index(drop=True)
    new = tmp_path/'new'; new.mkdir()
    for i, p in enumerate(test['path'][:4]): shutil.copy(p, new/(Path(p).stem if i == 3 else Path(p).name))   # one without .dcm
    (new/'broken.dcm').write_bytes(b'\0' * 128 + b'DICM' + b'junk'); (new/'notes.txt').write_text('x')
    p = medfast('predict', 'runs/ct/model', 'new', '--out', 'p.csv', cwd=tmp_path, env={'PYTHONWARNINGS': 'default'})
    assert p.returncode == 2 and 'broken.dcm' in p.stderr and '--skip-unreadable' in p.stderr
    assert 'notes.txt' in p.stderr                                                # the skipped file is named
    p = medfast('predict', 'runs/ct/model', 'new', '--out', 'p.csv', '--skip-unreadable', cwd=tmp_path)
    assert p.returncode == 0, p.stderr[-2000:]
    got = pd.read_csv(tmp_path/'p.csv', keep_default_na=False)
    assert sorted(Path(x).name for x in got.loc[got['error'] != '', 'path']) == ['broken.dcm'] and len(got) == 5
    ok = got[got['error'] == ''].assign(name=lambda d: d['path'].map(lambda x: Path(x).stem)).set_index('name')
    want = test.head(4).assign(name=lambda d: d['path'].map(lambda x: Path(x).stem)).set_index('name')
    cols = [c for c in want.columns if c.startswith('prob_')]
    assert abs(ok.loc[want.index, cols].astype(float).values - want[cols].values).max() < 1e-4   # the same window as training

PLUGIN = '''
from medfast.augment import register_aug_preset, register_fixed_variants
from medfast.segment import register_seg_preset
from medfast.metrics import register_metric
register_aug_preset('smear_light', dict(rotate=10, brightness=0.05, flip_h=True), study='a milder smear preset')
register_fixed_variants('rotations', [('rotate', 90), ('rotate', 180), ('rotate', 270)])
register_seg_preset('blue_nuclei', [((120, 50, 50), (134, 255, 255))], why="the first range of 'blast' alone")
register_metric('brier', lambda y, p, yp: ((p - (y[:, None] == range(p.shape[1]))) ** 2).sum(1).mean(), high=2.0,
                higher_is_better=False)
'''

def test_plugin_names_are_options(tmp_path, data, capsys):
    "A --plugin file's aug preset, fixed variants, segmentation preset and metric are accepted (in-process, no run)."
    from medfast import augment, cli, metrics, segment
    (tmp_path/'my_names.py').write_text(PLUGIN)
    argv = ['compare', str(data/'all_leukemia_subset'), '--aug', 'smear_light', '--fixed-aug', 'rotations',
            '--segment', 'blue_nuclei', '--metric', 'brier', '--out', str(tmp_path/'cv')]
    for bad, says in ((['--aug', 'smear_light'], 'a preset (smear, '), (['--metric', 'brier'], "choice: 'brier'")):
        with pytest.raises(SystemExit): cli.build_parser().parse_args(argv[:2] + bad + ['--out', str(tmp_path/'x')])
        assert says in capsys.readouterr().err                      # without the plugin: refused, naming the choices
    try:
        cli.load_plugins(argv + ['--plugin', str(tmp_path/'my_names.py')])
        a = cli.build_parser().parse_args(argv)
        c = cli.config_from_args(a)
        assert (c.aug, c.fixed_aug, c.segment, a.metric) == ('smear_light', 'rotations', 'blue_nuclei', 'brier')
    finally:
        for d, k in ((augment.AUG_PRESETS, 'smear_light'), (augment.FIXED_VARIANTS, 'rotations'),
                     (segment.SEG_PRESETS, 'blue_nuclei'), (metrics.METRICS, 'brier')): d.pop(k, None)

def test_evaluate_flags_training_images(brain_run, tmp_path, data, medfast):
    "`medfast evaluate` on images the run was trained on: scored, but each one flagged as overlapping the training data."
    out, _ = brain_run
    items = pd.read_csv(out/'items.csv').groupby('label').head(10)   # 20 of the run's images, both classes
    items[['path', 'label']].rename(columns={'path': 'file'}).to_csv(tmp_path/'seen.csv', index=False)
    r = medfast('evaluate', out, tmp_path/'seen.csv', '--path-col', 'file', '--out', tmp_path/'ext', '--n-boot', '20',
                '--no-near-duplicates', env={'PYTHONWARNINGS': 'default'})   # CI ignores warnings; a user sees them
    assert r.returncode == 0, r.stderr[-2000:]
    assert "medfast: warning: The external set overlaps the training run's data" in r.stderr, r.stderr[-2000:]
    m = json.loads((tmp_path/'ext'/'metrics.json').read_text())
    audit = pd.read_csv(tmp_path/'ext'/'audit.csv')
    seen = {p for ps in audit.loc[audit.check == 'identical image', 'external'] for p in ast.literal_eval(ps)}
    assert m['splits']['external']['n'] == 20 and seen == set(items['path'])
    assert m['threshold']['value'] == json.loads((out/'metrics.json').read_text())['threshold']['value']

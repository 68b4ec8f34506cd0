"""Runs that go wrong say so, before the work is spent (issue 23, part 4); one vocabulary for the weights words
(issue 24). Small inputs built from the real brain MRIs."""
import json
from pathlib import Path
import numpy as np, pandas as pd
import pytest
from medfast.cli import main, build_parser, _protocol, config_from_args
from medfast.config import make_config
from medfast.data import read_items
from medfast.metrics import load_preds
from medfast.models import WEIGHTS_WORDS, resolve_weights
from medfast.run import _pretrained, lr_plan, run_training, split_for

TINY = ['--arch', 'resnet18', '--size', '32', '--epochs', '1', '--n-boot', '10']

def _mri_csv(tmp_path:Path, data:Path, n_no:int, n_yes:int) -> Path:
    "A CSV of the smallest `n_no` 'no' and `n_yes` 'yes' brain MRIs (the real files, by absolute path)."
    rows = []
    for label, n in (('no', n_no), ('yes', n_yes)):
        files = sorted((f for f in (data/'brain_mri'/label).iterdir() if f.is_file()), key=lambda f: f.stat().st_size)
        rows += [dict(path=str(f), label=label) for f in files[:n]]
    fn = tmp_path/'items.csv'
    pd.DataFrame(rows).to_csv(fn, index=False)
    return fn

def _cli(capsys, *args) -> tuple:
    "(exit code, stdout, stderr) of `medfast ARGS`, in this process."
    rc = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return rc, out, err

def test_lr_1e8_stops_cleanly_and_says_so(tmp_path, data, capsys):
    "--lr 1e8: no NaN traceback; the fit stops, the run finishes with a WARNING in the summary and the report."
    out, csv = tmp_path/'run', _mri_csv(tmp_path, data, 16, 16)
    with pytest.warns(UserWarning, match='Training diverged in epoch 1'):
        rc, so, se = _cli(capsys, 'train', csv, *TINY, '--pretrained', 'none', '--lr', '1e8', '--freeze-epochs', '0',
                          '--out', out)
    assert rc == 0, se
    warn = [l for l in so.splitlines() if l.startswith('  WARNING : Training diverged')]
    assert len(warn) == 1 and 'at learning rate 1e+08' in warn[0] and '--lr 1e+07' in warn[0], so
    s = json.loads((out/'summary.json').read_text())
    assert s['diverged']['epoch'] == 1 and s['diverged']['kept'] == 0 and s['lr_used'] == 1e8
    assert 'early stopping' not in so
    p = load_preds(out/'predictions.csv')
    assert np.isfinite(p.filter(like='prob_').to_numpy()).all()                    # the kept model predicts
    assert (out/'model'/'model.safetensors').is_file()
    assert 'WARNING: Training diverged in epoch 1' in (out/'report.html').read_text()

def test_protocol_names_its_diverged_jobs(tmp_path, data, capsys):
    "A cv job that diverges is finished and kept, and the protocol's summary says which."
    with pytest.warns(UserWarning, match='Training diverged'):
        rc, so, se = _cli(capsys, 'cv', _mri_csv(tmp_path, data, 12, 12), *TINY, '--pretrained', 'none', '--lr', '1e8',
                          '--freeze-epochs', '0', '--k', '2', '--max-jobs', '1', '--out', tmp_path/'cv')
    assert rc == 0, se
    assert '  WARNING : training diverged in 1 job(s), resnet18/repeat0_fold0: each stopped' in so, so

@pytest.mark.parametrize('arch,size,fits', [('inception_v3', 64, 96), ('vit_tiny_patch16_224', 64, 224)])
def test_size_the_backbone_cannot_take_is_refused_first(tmp_path, data, capsys, arch, size, fits):
    "Inception or a ViT at 64 px: one line naming the size to use, before any image is read or any folder made."
    out, csv = tmp_path/'new'/'run', _mri_csv(tmp_path, data, 8, 8)
    rc, so, se = _cli(capsys, 'train', csv, '--arch', arch, '--size', size, '--pretrained', 'none', '--out', out)
    assert rc == 2 and se.startswith(f'medfast: error: {arch} cannot take {size} px images ('), se
    assert se.count('\n') == 1 and f'The smallest size it takes is {fits} px: use --size {fits} (size={fits})' in se
    assert not (tmp_path/'new').exists()

def test_class_without_validation_images(tmp_path, data, capsys):
    "30 'no', 2 'yes': refused before training; with --missing-classes warn: a model, no threshold."
    csv = _mri_csv(tmp_path, data, 30, 2)
    rc, so, se = _cli(capsys, 'train', csv, *TINY, '--pretrained', 'none', '--lr', '1e-3', '--out', tmp_path/'refused')
    assert rc == 2, se
    assert se.startswith('medfast: error: Class(es) yes have no validation images (yes: train 2, valid 0)'), se
    assert '--missing-classes warn' in se and '--valid-pct' in se and not (tmp_path/'refused').exists()
    out = tmp_path/'kept'
    with pytest.warns(UserWarning, match='No operating threshold was picked'):
        rc, so, se = _cli(capsys, 'train', csv, *TINY, '--pretrained', 'none', '--lr', '1e-3',
                          '--missing-classes', 'warn', '--out', out)
    assert rc == 0, se
    m = json.loads((out/'metrics.json').read_text())
    assert 'threshold' not in m
    assert m['warnings'][0].startswith('No operating threshold was picked: the valid split has no image of class yes')
    assert (out/'model'/'model.safetensors').is_file() and (out/'report.html').is_file()
    assert f"  WARNING : {m['warnings'][0]}" in so

def test_every_weights_word_means_the_same_everywhere():
    "Each word of `WEIGHTS_WORDS`, in any case: the weights built, the run's plan and the command line agree."
    p = build_parser()
    for kind, words in WEIGHTS_WORDS.items():
        for w in [v for word in words for v in (word, word.upper(), f' {word.title()} ')]:
            built = resolve_weights('resnet18', w)['pretrained']                                  # models
            cfg = make_config(pretrained=w)
            plan = (_pretrained(cfg), lr_plan(cfg))                                                # run
            cli_plan = lr_plan(config_from_args(p.parse_args(['train', 'd', '--pretrained', w, '--out', 'o'])))   # CLI
            assert (built, plan, cli_plan) == ((True, (True, 2e-3), 2e-3) if kind == 'imagenet' else
                                               (False, (False, 'valley'), 'valley')), (w, built, plan, cli_plan)
            with pytest.raises(Exception, match='d does not exist'):   # a word, not one backbone's weights file
                _protocol(p.parse_args(['compare', 'd', '--arch', 'resnet18,vgg16', '--pretrained', w, '--out', 'o']))

def test_scratch_and_none_give_the_same_run(tmp_path, data):
    "pretrained='scratch' is 'none': the same plan (lr_find from random weights, no frozen epoch) and the same history."
    items = split_for(read_items(_mri_csv(tmp_path, data, 12, 12)), make_config(seed=0))
    runs = {}
    for w in ('scratch', 'none'):
        cfg = make_config(arch='resnet18', pretrained=w, size=32, epochs=1, lr_find_iters=8, bs=8, n_boot=10)
        m = run_training(items, cfg, tmp_path/w, outputs='job', quiet=True)
        runs[w] = dict(cfg=json.loads((tmp_path/w/'config.json').read_text()), job=m['job'],
                       h=pd.read_csv(tmp_path/w/'history.csv'))
    a, b = runs['scratch'], runs['none']
    settings = lambda r: {k: v for k, v in r['cfg'].items() if k != 'pretrained'}
    assert settings(a) == settings(b)
    plan = lambda j: (j['lr'], j['lr_from'], j['freeze_epochs'], j['weights'], j['lr_find']['steps'])
    assert plan(a['job']) == plan(b['job'])
    assert plan(a['job'])[1:4] == ('valley', 0, 'random initialisation (no pretrained weights)')
    pd.testing.assert_frame_equal(a['h'], b['h'])

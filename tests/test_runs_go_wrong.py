"""One vocabulary for the weights words (issue 24); small inputs built from the real brain MRIs."""
import json
from pathlib import Path
import pandas as pd
import pytest
from medfast.cli import _parser, _protocol, config_from_args
from medfast.config import make_config
from medfast.data import read_items
from medfast.models import WEIGHTS_WORDS, resolve_weights
from medfast.run import _pretrained, lr_plan, run_training, split_for

def _mri_csv(tmp_path:Path, data:Path, n_no:int, n_yes:int) -> Path:
    "A CSV of the smallest `n_no` 'no' and `n_yes` 'yes' brain MRIs (the real files, by absolute path)."
    rows = []
    for label, n in (('no', n_no), ('yes', n_yes)):
        files = sorted((f for f in (data/'brain_mri'/label).iterdir() if f.is_file()), key=lambda f: f.stat().st_size)
        rows += [dict(path=str(f), label=label) for f in files[:n]]
    fn = tmp_path/'items.csv'
    pd.DataFrame(rows).to_csv(fn, index=False)
    return fn

def test_every_weights_word_means_the_same_everywhere():
    "Each word of `WEIGHTS_WORDS`, in any case: the weights built, the run's plan and the command line agree."
    p = _parser()
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

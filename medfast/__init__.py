"""Transfer learning for medical image classification, the fastai way

Modules:

- `medfast.launch`: The `medfast` command's front door: `medfast --help`, `medfast COMMAND --help` and a mistyped option or command answer at once, from a spec of the parser shipped with the package, without importing torch, fastai or timm; everything else goes on to `medfast.cli.main`."""

__version__ = "0.0.1"

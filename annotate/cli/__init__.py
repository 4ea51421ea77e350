"""The ``annotate`` command line: parse arguments, call an ``annotate`` function, print the result.

Every command lives in a module of this package named for its group; this module registers them on the root
group defined in :mod:`annotate.cli.base`, where :class:`annotate.errors.AnnotateError` becomes a
``click.ClickException``, once.
"""

from __future__ import annotations

from .base import cli, project_dir

# name -> "module:attribute": each command's module is imported when the command is used (see AnnotateGroup).
_COMMANDS = {
    "dates": "annotate.cli.dates:dates",
    "schemas": "annotate.cli.schemas:schemas",
    "init": "annotate.cli.project:init",
    "import": "annotate.cli.importing:import_",
    "docs": "annotate.cli.docs:docs",
    "dump": "annotate.cli.dump:dump",
    "restore": "annotate.cli.dump:restore",
    "prelabel": "annotate.cli.prelabel:prelabel_cmd",
    "demo": "annotate.cli.demo:demo",
    "ls": "annotate.cli.labelstudio:ls",
    "serve": "annotate.cli.serve:serve",
    "users": "annotate.cli.users:users",
    "assign": "annotate.cli.curation:assign",
    "agreement": "annotate.cli.curation:agreement",
    "adjudicate": "annotate.cli.curation:adjudicate",
    "gold": "annotate.cli.curation:gold",
    "comments": "annotate.cli.review:comments",
    "return": "annotate.cli.review:return_cmd",
    "release": "annotate.cli.releases:release",
    "export": "annotate.cli.releases:export",
    "publish": "annotate.cli.releases:publish",
    "eval": "annotate.cli.releases:eval_cmd",
}
for _name, _target in _COMMANDS.items():
    cli.add_lazy_command(_name, _target)

__all__ = ["cli", "project_dir"]

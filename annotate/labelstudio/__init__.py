"""Label Studio integration: labeling config, lossless result conversion, client, push/pull sync, local server.

* :mod:`.config`  the labeling config XML generated from the project taxonomy;
* :mod:`.convert` our :class:`~annotate.models.AnnotationSet` <-> Label Studio result JSON, both ways;
* :mod:`.client`  connection settings; the one place SDK errors become :class:`~annotate.errors.LabelStudioError`;
* :mod:`.sync`    ``push`` (documents as tasks, engine output as predictions) and incremental ``pull``;
* :mod:`.server`  install and start a local server in its own virtual environment (``annotate ls start``).
"""

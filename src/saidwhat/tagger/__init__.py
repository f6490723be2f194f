"""The learned attribution tagger: MiniLM fine-tuned on PolNeAR to tag content, cue and
source, run in numpy on top of the base weights (``saidwhat.encoder``).

``windows`` cuts documents, ``labels`` turns spans into tags and back, ``assemble`` pairs
tagged spans into attributions, ``model`` loads the shipped top layers and head and tags a
text. Training is ``bench/train_tagger.py`` (torch, not needed to run).
"""

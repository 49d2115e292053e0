from tools.i18n import check


def test_every_string_is_translated_and_no_two_catalogs_disagree(capsys):
    """Catalogs are per package and merged at run time: an untranslated string shows English to
    an Arabic reader, and two translations of one message id let the last catalog silently win."""
    problems = check()
    assert problems == 0, capsys.readouterr().out

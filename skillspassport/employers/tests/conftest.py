import pytest

from skillspassport.employers.skillsmap import LexicalMapper, get_mapper, load_esco
from skillspassport.employers.skillsmap.esco import Esco


@pytest.fixture(scope="session")
def esco() -> Esco:
    return load_esco()


@pytest.fixture(scope="session")
def lexical() -> LexicalMapper:
    mapper = get_mapper("lexical")
    assert isinstance(mapper, LexicalMapper)
    return mapper

"""What tests share: factories, HTTP and browser helpers, data builders. Tests import
from here, never from conftest or from each other."""

from tests.accounts.conftest import bearer, client, make_user, sign_in

__all__ = ["bearer", "client", "make_user", "sign_in"]

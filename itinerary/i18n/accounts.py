"""UI strings of the staff sign-in form and of the account locks (``cur.signin.`` and lock keys)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "cur.signin.title": {"en": "Staff sign-in", "zh": "工作人员登录"},
    "cur.signin.user": {"en": "User name", "zh": "用户名"},
    "cur.signin.password": {"en": "Password", "zh": "密码"},
    "cur.signin.submit": {"en": "Sign in", "zh": "登录"},
    # one answer for a wrong name, a wrong password and a locked sign-in: it never says which
    "cur.signin.bad": {
        "en": "Wrong user name or password, or too many attempts. Wait a few minutes before trying again.",
        "zh": "用户名或密码错误，或尝试次数过多。请等几分钟后再试。",
    },
    "cur.signin.disabled": {
        "en": "This account is disabled. Ask an admin.",
        "zh": "此账号已停用，请联系管理员。",
    },
    "cur.signin.expired": {
        "en": "Your session ended. Please sign in again.",
        "zh": "会话已结束，请重新登录。",
    },
    "cur.signin.no_accounts": {
        "en": "No staff accounts yet. An operator creates the first admin on the server:",
        "zh": "尚无工作人员账号。请运维人员在服务器上创建第一个管理员：",
    },
    "cur.acc.locked_until": {"en": "Sign-in locked until", "zh": "登录锁定至"},
    "cur.acc.unlock": {"en": "Unlock sign-in", "zh": "解除登录锁定"},
    "cur.acc.unlocked": {
        "en": "Sign-in of {user} unlocked, from every device.",
        "zh": "已解除 {user} 在所有设备上的登录锁定。",
    },
}
STRINGS.update(
    {
        # why an account change is refused (accounts.AccountError.problems); the English is
        # also what `python -m itinerary user ...` prints
        "cur.acc.err.username": {
            "en": "user name {name!r} must be 3-32 characters: lowercase letters, digits, '.', '_' or '-', "
            "starting and ending with a letter or digit",
            "zh": "用户名“{name}”须为 3-32 个字符：小写字母、数字、“.”、“_”或“-”，并以字母或数字开头和结尾",
        },
        "cur.acc.err.pw_short": {
            "en": "the password has {length} characters; use at least {minimum}",
            "zh": "密码只有 {length} 个字符，至少需要 {minimum} 个",
        },
        "cur.acc.err.pw_long": {
            "en": "the password has more than {maximum} characters",
            "zh": "密码超过 {maximum} 个字符",
        },
        "cur.acc.err.pw_is_name": {
            "en": "the password must not be the user name",
            "zh": "密码不能与用户名相同",
        },
        "cur.acc.err.pw_repeated": {
            "en": "the password must not be one character repeated",
            "zh": "密码不能只是同一个字符的重复",
        },
        "cur.acc.err.exists": {"en": "user {name!r} already exists", "zh": "用户“{name}”已存在"},
        "cur.acc.err.no_user": {"en": "no user {name!r}", "zh": "没有用户“{name}”"},
        "cur.acc.err.role": {
            "en": "role {role!r} is not one of {roles}",
            "zh": "角色“{role}”不是以下之一：{roles}",
        },
        "cur.acc.err.admin_cities": {
            "en": "an admin edits every city: give no cities",
            "zh": "管理员可编辑所有城市：请不要指定城市",
        },
        "cur.acc.err.editor_no_city": {
            "en": "an editor needs at least one city (or all cities)",
            "zh": "编辑至少需要一个城市（或所有城市）",
        },
        "cur.acc.err.all_alone": {
            "en": "{all!r} (all cities) goes alone, without city ids",
            "zh": "“{all}”（所有城市）须单独使用，不能与城市标识同时给出",
        },
        "cur.acc.err.city_slug": {
            "en": "city id {city!r} is not a lowercase slug",
            "zh": "城市标识“{city}”不是小写标识",
        },
        "cur.acc.err.unknown_city": {
            "en": "unknown city {city!r} (known: {known})",
            "zh": "未知的城市“{city}”（已有：{known}）",
        },
        "cur.acc.err.last_admin": {
            "en": "{name!r} is the only enabled admin; add another admin first",
            "zh": "“{name}”是唯一启用的管理员；请先添加另一位管理员",
        },
        "cur.acc.err.cannot_sign_in": {
            "en": "user {name!r} cannot sign in",
            "zh": "用户“{name}”无法登录",
        },
    }
)

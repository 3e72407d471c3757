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

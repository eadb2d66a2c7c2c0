//! Operator commands, run instead of the server: `server admin create --role province --login
//! NAME [--name 显示名] [--password-stdin]`. The first 省中心管理员 of an empty database is made
//! this way; every other account is made by an admin in the browser.

use std::io::{BufRead, IsTerminal};

/// What the command line asked for (anything else is a usage error).
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// Start the server (no arguments).
    Serve,
    CreateProvinceAdmin {
        login: String,
        name: String,
        /// Read the password from standard input instead of generating a one-time password.
        password_stdin: bool,
    },
}

pub const USAGE: &str = "用法：server                      启动服务\n      \
server admin create --role province --login 账号 [--name 名称] [--password-stdin]\n      \
                                   创建省中心管理员（不带 --password-stdin 时生成一次性密码并只显示这一次，首次登录须修改）";

/// Reads the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Command, String> {
    let Some((first, rest)) = args.split_first() else {
        return Ok(Command::Serve);
    };
    if first != "admin" || rest.first().map(String::as_str) != Some("create") {
        return Err(format!("未知命令：{}\n{USAGE}", args.join(" ")));
    }
    let (mut role, mut login, mut name, mut password_stdin) = (None, None, String::new(), false);
    let mut it = rest[1..].iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{arg} 后缺少取值\n{USAGE}"));
        match arg.as_str() {
            "--role" => role = Some(value()?),
            "--login" => login = Some(value()?),
            "--name" => name = value()?,
            "--password-stdin" => password_stdin = true,
            other => return Err(format!("未知参数：{other}\n{USAGE}")),
        }
    }
    match role.as_deref() {
        Some("province") => {}
        Some(other) => {
            return Err(format!(
                "--role 只能是 province（其他管理员由上级管理员在系统中创建），收到：{other}"
            ))
        }
        None => return Err(format!("缺少 --role province\n{USAGE}")),
    }
    let login = login.ok_or_else(|| format!("缺少 --login\n{USAGE}"))?;
    Ok(Command::CreateProvinceAdmin {
        login,
        name,
        password_stdin,
    })
}

/// The password from the first line of standard input (not echoed by us; pipe it in).
pub fn read_password() -> Result<String, String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("请输入密码（至少8位，含字母和数字），回车结束：");
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("无法读取密码：{e}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn no_arguments_start_the_server() {
        assert_eq!(parse(&[]), Ok(Command::Serve));
    }

    #[test]
    fn the_operator_creates_only_a_province_admin() {
        assert_eq!(
            parse(&args("admin create --role province --login ops --name 省就业中心")),
            Ok(Command::CreateProvinceAdmin {
                login: "ops".into(),
                name: "省就业中心".into(),
                password_stdin: false
            })
        );
        assert!(parse(&args("admin create --role school --login x")).is_err());
        assert!(parse(&args("admin create --login x")).is_err());
        assert!(parse(&args("admin create --role province")).is_err());
        assert!(parse(&args("admin create --role province --login")).is_err());
        assert!(parse(&args("admin delete --login x")).is_err());
        assert!(parse(&args("--help")).is_err());
    }
}

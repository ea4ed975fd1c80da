/// Line shapes the generator fills with markers: Postfix's own and those of programs
/// that log into the same file. `{X}` is a slot (see `Generator.fill`).
enum Templates {
    struct Shape {
        var program: String
        var message: String
    }

    private static let trailer = " from {HOST}[{IP}]; from=<{A}> to=<{A}> proto=ESMTP helo=<{HOST}>"

    static let all: [Shape] = [
        Shape(program: "postfix/smtpd", message: "{Q}: client={HOST}[{IP}]"),
        Shape(program: "postfix/submission/smtpd", message: "{Q}: client={HOST}[{IP}], sasl_method=PLAIN, sasl_username={A}"),
        Shape(program: "postfix/smtpd", message: "{Q}: client={HOST}[{IP}], sasl_method=LOGIN, sasl_username={U}, sasl_sender={A}"),
        Shape(program: "postfix/cleanup", message: "{Q}: message-id=<{M}>"),
        Shape(program: "postfix/cleanup", message: "{Q}: message-id={M}"),
        Shape(program: "postfix/cleanup", message: "{Q}: resent-message-id=<{M}>"),
        Shape(program: "postfix/cleanup", message: "{Q}: info: header Subject: {S}" + trailer),
        Shape(program: "postfix/cleanup", message: "{Q}: info: header {W}: {N} <{A}>" + trailer),
        Shape(program: "postfix/cleanup", message: "{Q}: warning: header {HN}: {S}" + trailer),
        Shape(program: "postfix/cleanup", message: "{Q}: info: header Content-Disposition: attachment; filename=\"{F}\"" + trailer),
        Shape(program: "postfix/cleanup", message: "{Q}: info: header Content-Type: application/pdf; name=\"{F}\"" + trailer),
        Shape(program: "postfix/cleanup", message: "{Q}: info: header To: {N} <{A}>, {N} <{A}> from local; from=<{A}> to=<{A}>"),
        Shape(program: "postfix/cleanup", message: "{Q}: info: header References: <{M}> <{M}>" + trailer),
        Shape(program: "postfix/cleanup", message: "{Q}: reject: body {S}" + trailer + ": 5.7.1 message content rejected"),
        Shape(program: "postfix/cleanup", message: "{Q}: header name=\"{HN}\", value=\"{S}\""),
        Shape(program: "postfix/cleanup", message: "{Q}: milter-reject: END-OF-MESSAGE from {HOST}[{IP}]: 5.7.1 Spam; from=<{A}> to=<{A}> proto=ESMTP helo=<{HOST}>"),
        Shape(program: "postfix/cleanup", message: "{Q}: warning: sent message header instead of SMTP command: {W}: {N} <{A}>"),
        Shape(program: "postfix/smtpd", message: "warning: non-SMTP command from {HOST}[{IP}]: Subject: {S}"),
        Shape(program: "postfix/smtpd", message: "NOQUEUE: reject: RCPT from {HOST}[{IP}]: 550 5.1.1 <{A}>: Recipient address rejected: User unknown in virtual mailbox table; from=<{A}> to=<{A}> proto=ESMTP helo=<{HOST}>"),
        Shape(program: "postfix/qmgr", message: "{Q}: from=<{A}>, size=1234, nrcpt=1 (queue active)"),
        Shape(program: "postfix/qmgr", message: "{Q}: from=<{A}>, status=expired, returned to sender"),
        Shape(program: "postfix/qmgr", message: "{Q}: removed"),
        Shape(program: "postfix/pickup", message: "{Q}: uid=1000 from=<{U}>"),
        Shape(program: "postfix/smtp", message: "{Q}: to=<{A}>, relay={HOST}[{IP}]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9B1C2D3E4F)"),
        Shape(program: "postfix/smtp", message: "{Q}: to=<{A}>, orig_to=<{A}>, relay=none, delay=1, status=bounced (host {HOST}[{IP}] said: 550 5.1.1 <{A}>: Recipient address rejected: User unknown (in reply to RCPT TO command))"),
        Shape(program: "postfix/local", message: "{Q}: to=<{A}>, relay=local, delay=0.1, status=bounced (unknown user: \"{U}\")"),
        Shape(program: "postfix/discard", message: "{Q}: to=<{A}>, relay=none, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent ({D})"),
        Shape(program: "postfix/bounce", message: "{Q}: sender non-delivery notification: 5E6F7A8B9C"),
        Shape(program: "amavis", message: "(01712-04) Passed CLEAN {RelayedInbound}, [{IP}]:41234 [{IP}] <{A}> -> <{A}>, Queue-ID: {Q}, Message-ID: <{M}>, mail_id: Ab3dE, Hits: -1.9, size: 2210, queued_as: 9B1C2D3E4F, Subject: \"{S}\", From: {N}_<{A}>, helo={HOST}, Tests: [BAYES_00=-1.9], 412 ms"),
        Shape(program: "dovecot", message: "lmtp({A})<8812><cD2aA>: msgid=<{M}>: saved mail to INBOX"),
        Shape(program: "dovecot", message: "imap-login: Login: user=<{U}>, method=PLAIN, rip={IP}, lip=192.0.2.1, mpid=123, TLS"),
        Shape(program: "postgrey", message: "action=pass, reason=triplet found, client_name={HOST}, client_address={IP}, sender={A}, recipient={A}"),
        Shape(program: "policyd-spf", message: "prepend Received-SPF: Pass (mailfrom) identity=mailfrom; client-ip={IP}; helo={HOST}; envelope-from={A}; receiver={A}"),
    ]
}

#!/usr/bin/env python3
"""Writes the e-mail corpus: one .eml per message and manifest.jsonl (file, code, lang, source,
category). The wording is reconstructed from real services' code e-mails (as received in 2024-2025;
names of people, accounts and codes changed); the MIME layout, charset and transfer encoding of each
are chosen to cover what mail arrives in. Deterministic: run it again and nothing changes.
`code` is what a person types (null: the message has no code)."""
import base64, json, os, quopri
from email.header import Header

HERE = os.path.dirname(os.path.abspath(__file__))
DATE = "Wed, 12 Mar 2025 10:32:07 +0000"

def enc_body(text, charset, cte):
    raw = text.encode(charset)
    if cte == "base64":
        return base64.encodebytes(raw)
    if cte == "quoted-printable":
        return quopri.encodestring(raw)
    return raw

def leaf(ctype, text, charset, cte):
    head = f"Content-Type: {ctype}; charset=\"{charset}\"\r\nContent-Transfer-Encoding: {cte}\r\n\r\n".encode()
    body = enc_body(text.replace("\r\n", "\n").replace("\n", "\r\n"), charset, cte)
    return head + body

def multipart(kind, parts, boundary):
    out = f"Content-Type: multipart/{kind}; boundary=\"{boundary}\"\r\n\r\nThis is a multi-part message in MIME format.\r\n".encode()
    for p in parts:
        out += f"--{boundary}\r\n".encode() + p + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()

PNG = base64.encodebytes(bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                                        "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"))

def hdr(value, charset):
    try:
        value.encode("ascii")
        return value
    except UnicodeEncodeError:
        # Python names GB2312 and Big5 by its codecs (`eucgb2312_cn`, `big5_tw`); mailers write the MIME names.
        return Header(value, charset).encode().replace("eucgb2312_cn", "gb2312").replace("big5_tw", "big5")

def message(m, i):
    charset = m.get("charset", "utf-8")
    cte = m.get("cte", "quoted-printable")
    name, addr = m["from"]
    from_ = f"{hdr(name, charset)} <{addr}>"
    head = (f"Return-Path: <bounce@{addr.split('@')[1]}>\r\nFrom: {from_}\r\nTo: k3j9q2m7x4ta@mail.example.com\r\n"
            f"Subject: {hdr(m['subject'], m.get('subject_charset', charset))}\r\nDate: {DATE}\r\n"
            f"Message-ID: <{i:04d}.{m['file']}@{addr.split('@')[1]}>\r\nMIME-Version: 1.0\r\n").encode()
    layout = m.get("layout", "alt" if "html" in m and "text" in m else "html" if "html" in m else "text")
    b = f"=_latchkey_{i:04d}"
    text = lambda: leaf("text/plain", m["text"], charset, cte)
    html = lambda: leaf("text/html", page(m["html"], charset), charset, m.get("html_cte", cte))
    if layout == "text":
        body = text()
    elif layout == "html":
        body = html()
    elif layout == "alt":
        body = multipart("alternative", [text(), html()], b)
    elif layout == "related":
        img = (b"Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <logo>\r\n"
               b"Content-Disposition: inline; filename=\"logo.png\"\r\n\r\n" + PNG)
        alt = multipart("alternative", [text(), html()], b + "_alt")
        body = multipart("related", [alt, img], b)
    elif layout == "mixed":
        pdf = (b"Content-Type: application/pdf; name=\"invoice.pdf\"\r\nContent-Transfer-Encoding: base64\r\n"
               b"Content-Disposition: attachment; filename=\"invoice.pdf\"\r\n\r\n" + base64.encodebytes(b"%PDF-1.4\n% 482913 not a code\n"))
        inner = multipart("alternative", [text(), html()], b + "_alt") if "html" in m else text()
        body = multipart("mixed", [inner, pdf], b)
    return head + body

def page(inner, charset):
    return (f"<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={charset}\">"
            "<title>Notification</title><style>body{font-family:Arial,sans-serif} .code{font-size:32px;letter-spacing:6px}"
            "@media (max-width:600px){.w{width:100%!important}}</style></head><body style=\"margin:0;padding:0\">"
            "<div style=\"display:none;max-height:0;overflow:hidden\">&#8199;&#65279;&#847; &#8199;&#65279;&#847;</div>"
            "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr><td align=\"center\">"
            "<table class=\"w\" width=\"600\"><tr><td><img src=\"cid:logo\" alt=\"\" width=\"120\"></td></tr><tr><td style=\"padding:24px\">\n"
            + inner + "\n</td></tr></table></td></tr></table><script>document.write('999999')</script></body></html>")

BIG = '<table><tr><td class="code" style="font-size:36px;font-weight:700;letter-spacing:8px;color:#111">{}</td></tr></table>'

M = []
def add(**m): M.append(m)

# ---- English -------------------------------------------------------------------------------------
add(file="en-github-device", lang="en", source="GitHub device verification", code="748201", cte="7bit", charset="us-ascii",
    from_=("GitHub", "noreply@github.com"), subject="[GitHub] Please verify your device",
    text="Hey octo-latch!\n\nA sign in attempt requires further verification because we did not recognize your device. "
         "To complete the sign in, enter the verification code on the unrecognized device.\n\nDevice: Chrome on Linux\n"
         "Verification code: 748201\n\nIf you did not attempt to sign in to your account, your password may be compromised. "
         "Visit https://github.com/settings/security to create a new, strong password for your GitHub account.\n\n"
         "Thanks,\nThe GitHub Team\n\nGitHub, Inc. 88 Colin P Kelly Jr Street San Francisco, CA 94107")
add(file="en-microsoft-security-code", lang="en", source="Microsoft account security code", code="2849137", layout="alt",
    from_=("Microsoft account team", "account-security-noreply@accountprotection.microsoft.com"), subject="Microsoft account security code",
    text="Microsoft account\n\nSecurity code\n\nPlease use the following security code for the Microsoft account ab***@example.com.\n\n"
         "Security code: 2849137\n\nIf you don't recognize the Microsoft account ab***@example.com, you can click "
         "https://account.live.com/dp?ft=-abc to remove your email address from that account.\n\nThanks,\nThe Microsoft account team",
    html="<p style=\"font-size:17px;color:#707070\">Microsoft account</p><p style=\"font-size:41px;color:#2672ec\">Security code</p>"
         "<p>Please use the following security code for the Microsoft account <a href=\"mailto:ab***@example.com\">ab***@example.com</a>.</p>"
         "<p>Security code: <span style=\"font-weight:bold\">2849137</span></p><p>If you don't recognize the Microsoft account ab***@example.com, "
         "you can <a href=\"https://account.live.com/dp?ft=-abc\">click here</a> to remove your email address from that account.</p><p>Thanks,<br>The Microsoft account team</p>")
add(file="en-amazon-otp-html", lang="en", source="Amazon one-time password", code="391046", cte="quoted-printable",
    from_=("Amazon.com", "account-update@amazon.com"), subject="Your Amazon verification code",
    html="<h2>Verify your identity</h2><p>To verify your identity, please use the following code:</p>" + BIG.format("391046") +
         "<p>Amazon takes your account security very seriously. Amazon will never email you and ask you to disclose or verify your "
         "Amazon password, credit card, or banking account number. If you receive a suspicious email with a link to update your "
         "account information, do not click on the link.</p><p>Thank you for shopping with us.<br>Amazon.com</p>"
         "<p style=\"font-size:11px\">&copy; 1996-2025, Amazon.com, Inc. or its affiliates. 410 Terry Ave N, Seattle, WA 98109</p>")
add(file="en-apple-email-verify", lang="en", source="Apple Account email verification", code="582047", cte="base64", layout="related",
    from_=("Apple", "appleid@id.apple.com"), subject="Verify your Apple Account email address",
    text="Verify your email address.\n\nYou recently selected ab@example.com as your new Apple Account. To verify this email address "
         "belongs to you, enter the code below on the email verification page:\n\n582047\n\nThis code will expire three hours after "
         "this email was sent.\n\nWhy you received this email.\nApple requires verification whenever an email address is selected as an "
         "Apple Account. Your Apple Account cannot be used until you verify it.\n\nApple Support",
    html="<h1>Verify your email address.</h1><p>You recently selected <b>ab@example.com</b> as your new Apple&nbsp;Account. To verify "
         "this email address belongs to you, enter the code below on the email verification page:</p><p style=\"font-size:28px;"
         "font-weight:bold\">582047</p><p>This code will expire three hours after this email was sent.</p><p><b>Why you received this email.</b>"
         "<br>Apple requires verification whenever an email address is selected as an Apple&nbsp;Account.</p>")
add(file="en-discord-login", lang="en", source="Discord login verification", code="203948", cte="quoted-printable",
    from_=("Discord", "noreply@discord.com"), subject="Your Discord login verification code",
    html="<h2>Hey octo,</h2><p>Here is your Discord verification code:</p><div style=\"font-size:32px;padding:16px;background:#f2f3f5\">"
         "<span>2</span><span>0</span><span>3</span><span>9</span><span>4</span><span>8</span></div>"
         "<p>This code will expire in 10 minutes. If you didn't request this, you can safely ignore this email.</p>"
         "<p>Sent by Discord &bull; <a href=\"https://discord.com/blog\">check our blog</a> &bull; @discord<br>444 De Haro Street, Suite 200, San Francisco, CA 94107</p>")
add(file="en-steam-guard", lang="en", source="Steam Guard e-mail code", code="F7K2Q", cte="7bit", charset="us-ascii",
    from_=("Steam Support", "noreply@steampowered.com"), subject="Your Steam account: Access from new computer",
    text="Dear octolatch,\n\nHere is the Steam Guard code you need to login to account octolatch:\n\nF7K2Q\n\n"
         "This email was generated because of a login attempt from a web or mobile device located at 203.0.113.7 (DE).\n\n"
         "The login attempt included your correct account name and password.\n\nThe Steam Guard code is required to complete the login. "
         "No one can access your account without also accessing this email.\n\nIf you are not attempting to login then please change your "
         "Steam password, and consider changing your email password as well to ensure your account security.\n\nThe Steam Team")
add(file="en-openai-code-subject-and-body", lang="en", source="ChatGPT log-in code", code="193847", layout="alt",
    from_=("ChatGPT", "noreply@tm.openai.com"), subject="Your ChatGPT code is 193847",
    text="Enter this temporary verification code to continue:\n\n193847\n\nIf you were not trying to log in to ChatGPT, please reset your password.\n\nBest,\nThe ChatGPT team",
    html="<h1>Your ChatGPT code is 193847</h1><p>Enter this temporary verification code to continue:</p>" + BIG.format("193847") +
         "<p>If you were not trying to log in to ChatGPT, please <a href=\"https://chatgpt.com/reset-password\">reset your password</a>.</p>")
add(file="en-linkedin-pin", lang="en", source="LinkedIn sign-in PIN", code="384756", layout="alt",
    from_=("LinkedIn", "security-noreply@linkedin.com"), subject="Here's your verification code 384756",
    text="Hi Octo,\n\nYour verification code is 384756. Please enter it to complete your sign in.\n\nThis code expires in 15 minutes.\n\n"
         "This email was intended for Octo Latch (Engineer at Latchkey)\nLinkedIn Corporation, 1000 W Maude Ave, Sunnyvale, CA 94085.",
    html="<p>Hi Octo,</p><p>Your verification code is <b>384756</b>. Please enter it to complete your sign in.</p><p>This code expires in 15 minutes.</p>"
         "<p style=\"color:#666\">This email was intended for Octo Latch (Engineer at Latchkey)<br>&copy; 2025 LinkedIn Corporation, 1000 W Maude Ave, Sunnyvale, CA 94085.</p>")
add(file="en-uber-subject-only", lang="en", source="Uber sign-in code (code in the subject, image in the body)", code="8204", layout="html",
    from_=("Uber", "uber@uber.com"), subject="Your Uber account verification code is 8204",
    html="<p>Hi there,</p><p>Enter the code from the subject line of this email to sign in.</p><img src=\"cid:code\" alt=\"\">"
         "<p>Uber Technologies, 1725 3rd Street, San Francisco, CA 94158</p>")
add(file="en-dropbox-grouped", lang="en", source="Dropbox security code", code="847392", layout="alt",
    from_=("Dropbox", "no-reply@dropbox.com"), subject="Your Dropbox security code",
    text="Hi Octo,\n\nYour Dropbox security code is: 847 392\n\nUse this code to finish signing in. It expires in 30 minutes.\n\nHappy Dropboxing!\n- The Dropbox Team",
    html="<p>Hi Octo,</p><p>Your Dropbox security code is:</p><p style=\"font-size:30px;letter-spacing:4px\">847 392</p><p>Use this code to finish signing in. It expires in 30 minutes.</p>")
add(file="en-atlassian-dashed", lang="en", source="Atlassian verification code", code="58392014", cte="base64",
    from_=("Atlassian", "noreply@id.atlassian.com"), subject="Your Atlassian verification code",
    html="<p>Hi Octo,</p><p>We received a request to log in to your Atlassian account. Enter this verification code:</p>" + BIG.format("5839-2014") +
         "<p>The code will expire in 10 minutes.</p><p>Atlassian, 350 Bush Street, Floor 13, San Francisco, CA 94104</p>")
add(file="en-epic-cells", lang="en", source="Epic Games security code (one digit per cell)", code="829104", cte="quoted-printable",
    from_=("Epic Games", "help@acct.epicgames.com"), subject="Your Epic Games security code",
    html="<p>Hello,</p><p>Here is your security code:</p><table><tr>"
         + "".join(f"<td style=\"font-size:32px;border:1px solid #ccc;padding:8px\">{d}</td>" for d in "829104") +
         "</tr></table><p>This code will expire in 15 minutes.</p><p>Thanks,<br>Epic Games</p>")
add(file="en-notion-alnum", lang="en", source="Notion temporary login code", code="ZK4P7QX", layout="alt",
    from_=("Notion Team", "notify@mail.notion.so"), subject="Notion temporary login code",
    text="Your temporary Notion login code is: ZK4P7QX\n\nOr sign in by clicking this link: https://www.notion.so/loginwithemail?state=abc&token=xyz\n\n"
         "If you didn't try to login, you can safely ignore this email.",
    html="<h2>Login code</h2><p>Your temporary Notion login code is: <code style=\"font-size:20px\">ZK4P7QX</code></p>"
         "<p>Or <a href=\"https://www.notion.so/loginwithemail?state=abc&amp;token=xyz\">sign in by clicking this link</a>.</p>"
         "<p>If you didn't try to login, you can safely ignore this email.</p>")
add(file="en-coinbase-mixed", lang="en", source="Coinbase verification code with a PDF", code="719382", layout="mixed",
    from_=("Coinbase", "no-reply@coinbase.com"), subject="Coinbase verification code",
    text="Your Coinbase verification code is 719382.\n\nNever share this code with anyone, including Coinbase support. "
         "Coinbase will never call you to ask for it.\n\nCoinbase, 248 3rd St #434, Oakland, CA 94607")
add(file="en-x-confirm", lang="en", source="X (Twitter) e-mail confirmation", code="483920", layout="alt",
    from_=("X", "info@x.com"), subject="483920 is your X verification code",
    text="Confirm your email address\n\nThere's one quick step you need to complete before creating your X account. Let's make sure "
         "this is the right email address for you - please confirm this is the right address to use for your new account.\n\n"
         "Please enter this verification code to get started on X:\n\n483920\n\nVerification codes expire after two hours.\n\nThanks,\nX\n\nX Corp. 1355 Market Street, Suite 900 San Francisco, CA 94103",
    html="<h1>Confirm your email address</h1><p>Please enter this verification code to get started on X:</p><p style=\"font-size:32px\"><strong>483920</strong></p>"
         "<p>Verification codes expire after two hours.</p><p>X Corp. 1355 Market Street, Suite 900 San Francisco, CA 94103</p>")

# ---- German --------------------------------------------------------------------------------------
add(file="de-n26-latin1", lang="de", source="N26 Bestätigungscode", code="829304", charset="iso-8859-1", cte="quoted-printable",
    from_=("N26", "no-reply@n26.com"), subject="Dein Bestätigungscode für N26",
    text="Hallo Octo,\n\nDein Bestätigungscode lautet: 829304\n\nGib ihn in der App ein, um die Anmeldung abzuschließen. Der Code ist 5 Minuten gültig.\n\n"
         "Du hast dich nicht angemeldet? Dann kontaktiere bitte sofort unseren Support.\n\nDein N26 Team\nN26 Bank SE, Voltairestraße 8, 10179 Berlin")
add(file="de-paypal-cp1252", lang="de", source="PayPal Sicherheitscode", code="573920", charset="windows-1252", cte="base64", layout="alt",
    from_=("PayPal", "service@paypal.de"), subject="Ihr PayPal-Sicherheitscode",
    text="Guten Tag,\n\nIhr Sicherheitscode für PayPal: 573920\n\nGeben Sie diesen Code nicht weiter. PayPal wird Sie nie danach fragen.\n\n"
         "PayPal (Europe) S.à r.l. et Cie, S.C.A., 22-24 Boulevard Royal, L-2449 Luxembourg",
    html="<p>Guten Tag,</p><p>Ihr Sicherheitscode für PayPal:</p>" + BIG.format("573920") +
         "<p>Geben Sie diesen Code nicht weiter. PayPal wird Sie nie danach fragen.</p><p>&copy; 1999–2025 PayPal. Alle Rechte vorbehalten.</p>")
add(file="de-zalando-html", lang="de", source="Zalando Verifizierungscode", code="384712", cte="quoted-printable",
    from_=("Zalando", "info@service-mail.zalando.de"), subject="Dein Verifizierungscode",
    html="<p>Hallo Octo,</p><p>dein Verifizierungscode lautet</p><p class=\"code\" style=\"font-size:34px\">384&nbsp;712</p>"
         "<p>Bitte gib den Code innerhalb von 15&nbsp;Minuten ein. Hast du keinen Code angefordert? Dann ignoriere diese E-Mail.</p>"
         "<p>Zalando SE, Valeska-Gert-Straße 5, 10243 Berlin · Amtsgericht Charlottenburg HRB 158855 B</p>")
add(file="de-sparkasse-anmeldecode", lang="de", source="Sparkasse Anmeldecode", code="61840273", charset="iso-8859-15", cte="8bit",
    from_=("Sparkasse", "noreply@sparkasse.de"), subject="Ihr Anmeldecode",
    text="Sehr geehrte Kundin, sehr geehrter Kunde,\n\nIhr Anmeldecode für das Online-Banking lautet 61840273.\n\n"
         "Bitte geben Sie diesen Code innerhalb von 10 Minuten ein. Ihre Sparkasse fragt Sie niemals per E-Mail nach Ihrer PIN oder TAN.\n\n"
         "Mit freundlichen Grüßen\nIhre Sparkasse")

# ---- French --------------------------------------------------------------------------------------
add(file="fr-leboncoin-latin9", lang="fr", source="leboncoin code de vérification", code="384920", charset="iso-8859-15", cte="quoted-printable",
    from_=("leboncoin", "noreply@leboncoin.fr"), subject="Votre code de vérification leboncoin",
    text="Bonjour,\n\nVotre code de vérification est : 384920\n\nCe code est valable 10 minutes. Ne le communiquez à personne.\n\n"
         "L'équipe leboncoin\n24 rue des Jeûneurs, 75002 Paris")
add(file="fr-doctolib-html", lang="fr", source="Doctolib code de connexion", code="927461", cte="base64",
    from_=("Doctolib", "no-reply@doctolib.fr"), subject="Votre code de connexion Doctolib",
    html="<p>Bonjour,</p><p>Voici votre code de connexion&nbsp;:</p>" + BIG.format("927461") +
         "<p>Il expire dans 15&nbsp;minutes. Si vous n&rsquo;&ecirc;tes pas &agrave; l&rsquo;origine de cette demande, ignorez cet e-mail.</p>"
         "<p>Doctolib, 54 quai Charles Pasqua, 92300 Levallois-Perret</p>")
add(file="fr-orange-code-securite", lang="fr", source="Orange code de sécurité", code="5829", charset="utf-8", cte="8bit", layout="alt",
    from_=("Orange", "ne-pas-repondre@orange.fr"), subject="Votre code de sécurité Orange",
    text="Bonjour,\n\nVoici votre code de sécurité : 5829\n\nSaisissez-le pour vous connecter à votre Espace Client. Il est valable 30 minutes.\n\nOrange SA, 111 quai du Président Roosevelt, 92130 Issy-les-Moulineaux",
    html="<p>Bonjour,</p><p>Voici votre code de sécurité&nbsp;: <strong style=\"font-size:24px\">5829</strong></p><p>Saisissez-le pour vous connecter à votre Espace Client.</p>")

# ---- Spanish -------------------------------------------------------------------------------------
add(file="es-mercadolibre", lang="es", source="Mercado Libre código de verificación", code="829104", charset="iso-8859-1", cte="quoted-printable", layout="alt",
    from_=("Mercado Libre", "info@mercadolibre.com"), subject="Tu código de verificación",
    text="Hola Octo,\n\nTu código de verificación es 829104.\n\nNo lo compartas con nadie. Vence en 10 minutos.\n\nMercado Libre",
    html="<p>Hola Octo,</p><p>Tu código de verificación es</p>" + BIG.format("829104") + "<p>No lo compartas con nadie. Vence en 10 minutos.</p>")
add(file="es-glovo-login", lang="es", source="Glovo código para iniciar sesión", code="472918", cte="base64",
    from_=("Glovo", "no-reply@glovoapp.com"), subject="Tu código para iniciar sesión en Glovo",
    html="<p>¡Hola!</p><p>Utiliza este código para iniciar sesión:</p><div style=\"font-size:30px;font-weight:bold\">472918</div>"
         "<p>El código caduca en 10 minutos.</p><p>Glovoapp23, S.A. – C/ Llull 108, 08005 Barcelona</p>")
add(file="es-bbva-clave", lang="es", source="BBVA clave de seguridad", code="63918204", charset="windows-1252", cte="quoted-printable",
    from_=("BBVA", "bbva@comunicaciones.bbva.es"), subject="Código de seguridad BBVA",
    text="Estimado cliente:\n\nSu código de seguridad es 63918204. Introdúzcalo para confirmar la operación.\n\nBBVA nunca le pedirá este código por teléfono.\n\nBanco Bilbao Vizcaya Argentaria, S.A. - Plaza de San Nicolás, 4 - 48005 Bilbao")

# ---- Portuguese ----------------------------------------------------------------------------------
add(file="pt-nubank", lang="pt", source="Nubank código de verificação", code="739201", charset="windows-1252", cte="quoted-printable", layout="alt",
    from_=("Nubank", "meajuda@nubank.com.br"), subject="Seu código de verificação do Nubank",
    text="Olá, Octo!\n\nSeu código de verificação é 739201.\n\nEle expira em 15 minutos. Não compartilhe com ninguém.\n\nNu Pagamentos S.A. - CNPJ 18.236.120/0001-58\nRua Capote Valente, 39 - São Paulo, SP - 05409-000",
    html="<p>Olá, Octo!</p><p>Seu código de verificação é:</p>" + BIG.format("739201") + "<p>Ele expira em 15 minutos. Não compartilhe com ninguém.</p>")
add(file="pt-ifood-acesso", lang="pt", source="iFood código de acesso", code="3847", cte="base64",
    from_=("iFood", "naoresponda@ifood.com.br"), subject="Código de acesso: 3847",
    html="<p>Olá!</p><p>Use o código abaixo para entrar no iFood:</p>" + BIG.format("3847") + "<p>Se não foi você, ignore este e-mail.</p>")

# ---- Italian -------------------------------------------------------------------------------------
add(file="it-poste-latin1-b64", lang="it", source="Poste italiane codice di verifica", code="582013", charset="iso-8859-1", cte="base64",
    from_=("Poste Italiane", "noreply@posteitaliane.it"), subject="Il tuo codice di verifica",
    text="Gentile cliente,\n\nil tuo codice di verifica è 582013.\n\nInseriscilo entro 5 minuti per completare l'accesso. Non comunicarlo a nessuno.\n\nPoste Italiane S.p.A. - Viale Europa 190, 00144 Roma")
add(file="it-intesa-otp", lang="it", source="Intesa Sanpaolo codice OTP", code="77381924", layout="alt",
    from_=("Intesa Sanpaolo", "notifiche@intesasanpaolo.com"), subject="Codice OTP",
    text="Gentile Cliente,\nil codice OTP per accedere all'area riservata è 77381924.\nValido per 3 minuti.\n\nIntesa Sanpaolo S.p.A.",
    html="<p>Gentile Cliente,<br>il codice OTP per accedere all&#39;area riservata &egrave;</p>" + BIG.format("77381924") + "<p>Valido per 3 minuti.</p>")

# ---- Dutch ---------------------------------------------------------------------------------------
add(file="nl-bol-verificatie", lang="nl", source="bol.com verificatiecode", code="491827", cte="quoted-printable",
    from_=("bol.com", "klantenservice@bol.com"), subject="Je verificatiecode",
    html="<p>Hoi Octo,</p><p>Je verificatiecode is:</p>" + BIG.format("491827") + "<p>Deze code is 10 minuten geldig.</p><p>bol.com, Papendorpseweg 100, 3528 BJ Utrecht</p>")
add(file="nl-digid-inlogcode", lang="nl", source="inlogcode (grouped)", code="283019", charset="iso-8859-1", cte="quoted-printable",
    from_=("Mijn Omgeving", "noreply@mijnomgeving.nl"), subject="Uw inlogcode",
    text="Beste heer/mevrouw,\n\nUw inlogcode: 283 019\n\nDeze code is 15 minuten geldig. Deel deze code met niemand.\n\nMet vriendelijke groet,\nMijn Omgeving")

# ---- Japanese ------------------------------------------------------------------------------------
add(file="ja-rakuten-shiftjis", lang="ja", source="楽天 認証コード", code="482913", charset="shift_jis", cte="base64",
    from_=("楽天会員サービス", "info@mail.rakuten.co.jp"), subject="【楽天】認証コードのお知らせ",
    text="楽天会員様\n\n認証コード：482913\n\n上記の認証コードを画面に入力してください。有効期限は30分です。\n\n"
         "※本メールは送信専用です。\n楽天グループ株式会社 〒158-0094 東京都世田谷区玉川一丁目14番1号")
add(file="ja-mercari-iso2022jp", lang="ja", source="メルカリ 確認コード", code="593021", charset="iso-2022-jp", cte="7bit",
    from_=("メルカリ", "no-reply@mercari.jp"), subject="確認コードのお知らせ",
    text="メルカリをご利用いただきありがとうございます。\n\n確認コード: 593021\n\nこのコードの有効期限は10分です。\n第三者に教えないでください。\n\n株式会社メルカリ")
add(file="ja-line-onetime-html", lang="ja", source="ワンタイムパスワード", code="738210", cte="base64",
    from_=("LINE", "no-reply@line.me"), subject="ワンタイムパスワード",
    html="<p>ログインするには、次のワンタイムパスワードを入力してください。</p>" + BIG.format("738210") +
         "<p>このパスワードは2025年3月12日 10:42まで有効です。</p><p>LINEヤフー株式会社</p>")
add(file="ja-amazon-eucjp", lang="ja", source="Amazon.co.jp ワンタイムパスワード", code="219384", charset="euc-jp", cte="8bit",
    from_=("Amazon.co.jp", "account-update@amazon.co.jp"), subject="Amazon.co.jp: ワンタイムパスワード",
    text="お客様の本人確認のため、以下のワンタイムパスワードを入力してください。\n\n219384\n\n"
         "ワンタイムパスワードの有効期限は10分です。Amazonがお客様のパスワードをメールで確認することはありません。")

# ---- Chinese -------------------------------------------------------------------------------------
add(file="zh-alibaba-gb2312", lang="zh", source="阿里巴巴 验证码", code="739102", charset="gb2312", cte="base64",
    from_=("阿里巴巴", "service@mail.alibaba.com"), subject="您的验证码",
    text="尊敬的用户：\n\n您的验证码是：739102，10分钟内有效。请勿将验证码告知他人。\n\n如非本人操作，请忽略本邮件。\n\n阿里巴巴集团")
add(file="zh-taobao-gbk-html", lang="zh", source="淘宝 验证码", code="582910", charset="gbk", cte="quoted-printable",
    from_=("淘宝网", "service@taobao.com"), subject="【淘宝网】验证码",
    html="<p>亲爱的会员：</p><p>您正在进行邮箱验证，验证码：</p>" + BIG.format("582910") + "<p>验证码30分钟内有效，请勿泄露。</p><p>淘宝网 &copy; 2003-2025</p>")
add(file="zh-tw-big5", lang="zh", source="驗證碼 (繁體)", code="384019", charset="big5", cte="base64",
    from_=("蝦皮購物", "no-reply@shopee.tw"), subject="您的驗證碼",
    text="親愛的會員您好：\n\n您的驗證碼為 384019，請於 5 分鐘內輸入。\n\n請勿將驗證碼提供給任何人。\n\n蝦皮購物")
add(file="zh-wechat-utf8", lang="zh", source="登录验证码", code="6183", layout="alt",
    from_=("微信团队", "weixinteam@tencent.com"), subject="登录验证码",
    text="你好！\n\n你的登录验证码为6183，5分钟内有效。\n\n微信团队",
    html="<p>你好！</p><p>你的登录验证码为<b style=\"font-size:24px\">6183</b>，5分钟内有效。</p><p>微信团队</p>")

# ---- Russian -------------------------------------------------------------------------------------
add(file="ru-yandex-koi8r", lang="ru", source="Яндекс код подтверждения", code="482917", charset="koi8-r", cte="base64",
    from_=("Яндекс ID", "noreply@id.yandex.ru"), subject="Код подтверждения",
    text="Здравствуйте!\n\nВаш код подтверждения: 482917\n\nКод действует 10 минут. Никому не сообщайте его.\n\nС уважением,\nкоманда Яндекс ID")
add(file="ru-vk-cp1251", lang="ru", source="ВКонтакте код для входа", code="739102", charset="windows-1251", cte="quoted-printable", layout="alt",
    from_=("ВКонтакте", "admin@notify.vk.com"), subject="Код для входа",
    text="Код для входа: 739102\n\nЕсли вы не запрашивали код, просто проигнорируйте это письмо.\n\nВКонтакте",
    html="<p>Код для входа:</p>" + BIG.format("739102") + "<p>Если вы не запрашивали код, просто проигнорируйте это письмо.</p>")
add(file="ru-gosuslugi-html", lang="ru", source="Госуслуги код подтверждения", code="5821", cte="base64",
    from_=("Госуслуги", "no-reply@gosuslugi.ru"), subject="Подтверждение адреса электронной почты",
    html="<p>Здравствуйте!</p><p>Код подтверждения <b>5821</b>. Введите его на портале, чтобы подтвердить адрес электронной почты.</p>"
         "<p>Служба поддержки: 8 800 100-70-10</p>")

# ---- Korean --------------------------------------------------------------------------------------
add(file="ko-naver-euckr", lang="ko", source="네이버 인증번호", code="482913", charset="euc-kr", cte="base64",
    from_=("네이버", "navercorp@navercorp.com"), subject="[네이버] 인증번호 안내",
    text="안녕하세요. 네이버입니다.\n\n인증번호 [482913]를 입력해 주세요.\n\n인증번호는 3분간 유효합니다.\n\n경기도 성남시 분당구 정자일로 95, NAVER 1784, 13561")
add(file="ko-kakao-utf8", lang="ko", source="카카오 인증 코드", code="729103", layout="alt",
    from_=("카카오", "noreply@kakaocorp.com"), subject="카카오계정 인증 코드",
    text="카카오계정 이메일 인증 코드: 729103\n\n10분 안에 입력해 주세요.",
    html="<p>카카오계정 이메일 인증 코드</p>" + BIG.format("729103") + "<p>10분 안에 입력해 주세요.</p>")

# ---- Polish --------------------------------------------------------------------------------------
add(file="pl-allegro-latin2", lang="pl", source="Allegro kod weryfikacyjny", code="839201", charset="iso-8859-2", cte="quoted-printable",
    from_=("Allegro", "allegro@allegro.pl"), subject="Twój kod weryfikacyjny",
    text="Cześć!\n\nTwój kod weryfikacyjny to 839201.\n\nKod jest ważny przez 15 minut. Nie podawaj go nikomu.\n\nZespół Allegro\nAllegro.pl sp. z o.o., ul. Grunwaldzka 182, 60-166 Poznań")
add(file="pl-mbank-cp1250", lang="pl", source="mBank kod jednorazowy", code="48291037", charset="windows-1250", cte="base64",
    from_=("mBank", "kontakt@mbank.pl"), subject="Kod jednorazowy",
    html="<p>Dzień dobry,</p><p>Twój kod jednorazowy do logowania:</p>" + BIG.format("4829 1037") + "<p>Kod jest ważny 5 minut.</p>")

# ---- Turkish -------------------------------------------------------------------------------------
add(file="tr-trendyol-latin5", lang="tr", source="Trendyol doğrulama kodu", code="582913", charset="iso-8859-9", cte="quoted-printable",
    from_=("Trendyol", "noreply@trendyol.com"), subject="Doğrulama kodunuz",
    text="Merhaba,\n\nDoğrulama kodunuz: 582913\n\nBu kodu kimseyle paylaşmayın. Kod 3 dakika geçerlidir.\n\nTrendyol")
add(file="tr-getir-cp1254", lang="tr", source="Getir giriş kodu", code="739104", charset="windows-1254", cte="base64", layout="alt",
    from_=("Getir", "info@getir.com"), subject="Giriş kodunuz",
    text="Giriş kodunuz 739104. Bu kodu kimseyle paylaşmayın.",
    html="<p>Giriş kodunuz</p>" + BIG.format("739104") + "<p>Bu kodu kimseyle paylaşmayın.</p>")

# ---- Messages with no code -----------------------------------------------------------------------
add(file="none-en-newsletter", lang="en", source="product newsletter", code=None, cte="quoted-printable", category="newsletter",
    from_=("The Verge", "newsletter@theverge.com"), subject="Installer No. 74: the best of CES 2025",
    html="<h1>Installer No. 74</h1><p>Hi, friends! Welcome to Installer No. 74, your guide to the best and Verge-iest stuff in the world.</p>"
         "<p>This week I've been reading about the 2025 Pixel, testing the $1,299 laptop everyone is talking about, and watching the 4K remaster.</p>"
         "<p>Save 20% with our partner through March 31. <a href=\"https://www.theverge.com/installer\">Read online</a></p>"
         "<p>&copy; 2025 Vox Media, LLC. 1201 Connecticut Ave. NW, Washington, DC 20036. <a href=\"https://www.theverge.com/unsubscribe?u=482913\">Unsubscribe</a></p>")
add(file="none-en-amazon-receipt", lang="en", source="order confirmation", code=None, layout="alt", category="receipt",
    from_=("Amazon.com", "auto-confirm@amazon.com"), subject="Your Amazon.com order #112-4839201-3928103",
    text="Hello Octo,\n\nThank you for shopping with us. We'll send a confirmation when your item ships.\n\nOrder #112-4839201-3928103\n"
         "Placed on Wednesday, March 12, 2025\n\nAnker USB-C Charger 65W\nQuantity: 1\n$39.99\n\nOrder Total: $43.19\n\n"
         "Arriving: Friday, March 14\nShip to: Octo Latch, 500 Terry Ave N, Seattle, WA 98109",
    html="<p>Hello Octo,</p><p>Thank you for shopping with us.</p><p>Order <a href=\"https://www.amazon.com/gp/your-account/order-details?orderID=112-4839201-3928103\">#112-4839201-3928103</a></p>"
         "<table><tr><td>Anker USB-C Charger 65W</td><td>$39.99</td></tr><tr><td>Order Total:</td><td><b>$43.19</b></td></tr></table>")
add(file="none-de-dhl-shipping", lang="de", source="Sendungsverfolgung", code=None, charset="iso-8859-1", cte="quoted-printable", category="shipping",
    from_=("DHL Paket", "noreply@dhl.de"), subject="Ihre DHL Sendung kommt heute",
    text="Guten Tag,\n\nIhre Sendung 00340434161094042557 wird heute zwischen 10:30 und 13:30 Uhr zugestellt.\n\n"
         "Empfänger: Octo Latch, Voltairestraße 8, 10179 Berlin\nSendungsnummer: 00340434161094042557\n\n"
         "Verfolgen Sie Ihre Sendung: https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=00340434161094042557\n\n"
         "Deutsche Post AG, Charles-de-Gaulle-Str. 20, 53113 Bonn")
add(file="none-en-ups-tracking", lang="en", source="shipping notice", code=None, layout="alt", category="shipping",
    from_=("UPS", "mcinfo@ups.com"), subject="UPS Update: Package Scheduled for Delivery Today",
    text="Your package is scheduled for delivery today.\n\nTracking Number: 1Z999AA10123456784\nScheduled Delivery: Wednesday, 03/12/2025 by 7:00 PM\n"
         "Ship To: SEATTLE, WA 98109 US\nNumber of Packages: 1\nWeight: 2.40 LBS",
    html="<p>Your package is scheduled for delivery today.</p><table><tr><td>Tracking Number:</td><td>1Z999AA10123456784</td></tr>"
         "<tr><td>Scheduled Delivery:</td><td>Wednesday, 03/12/2025 by 7:00 PM</td></tr><tr><td>Ship To:</td><td>SEATTLE, WA 98109 US</td></tr></table>")
add(file="none-en-calendar-invite", lang="en", source="calendar invitation", code=None, cte="7bit", charset="us-ascii", category="calendar",
    from_=("Google Calendar", "calendar-notification@google.com"), subject="Invitation: Sprint review @ Wed Mar 12, 2025 10:30am - 11am (UTC)",
    text="You have been invited to the following event.\n\nSprint review\nWhen: Wednesday Mar 12, 2025 10:30am - 11am Coordinated Universal Time\n"
         "Joining info: Join with Google Meet\nhttps://meet.google.com/abc-defg-hij\n\nJoin by phone\n(US) +1 631-482-1930\n\n"
         "Meeting ID: 845 2931 0482\n\nCalendar: octo@example.com\nWho: lead@example.com - organizer\n\nGoing (octo@example.com)? Yes - Maybe - No")
add(file="none-en-password-changed", lang="en", source="password changed notice", code=None, layout="alt", category="security-notice",
    from_=("Google", "no-reply@accounts.google.com"), subject="Security alert",
    text="Your password was changed\n\nThe password for your Google Account octo@example.com was changed on March 12, 2025 at 10:32 UTC "
         "from Chrome on Windows (IP 203.0.113.7).\n\nIf you didn't change it, you should check what happened: https://accounts.google.com/AccountChooser?continue=secure\n\n"
         "You received this email to let you know about important changes to your Google Account and services.\n(c) 2025 Google LLC, 1600 Amphitheatre Parkway, Mountain View, CA 94043, USA",
    html="<h2>Your password was changed</h2><p>The password for your Google Account octo@example.com was changed on March 12, 2025 at 10:32 UTC.</p>"
         "<p><a href=\"https://accounts.google.com/AccountChooser?continue=secure\">Check activity</a></p>"
         "<p>&copy; 2025 Google LLC, 1600 Amphitheatre Parkway, Mountain View, CA 94043, USA</p>")
add(file="none-en-signin-alert", lang="en", source="new sign-in alert", code=None, cte="quoted-printable", category="security-notice",
    from_=("Microsoft account team", "account-security-noreply@accountprotection.microsoft.com"), subject="New app(s) connected to your Microsoft account",
    html="<p>Octo Latch connected to the Microsoft account oc***@example.com.</p><p>If you didn't grant this access, please remove the app(s) from your account.</p>"
         "<p><a href=\"https://account.live.com/consent/Manage\">Manage your apps</a></p><p>Thanks,<br>The Microsoft account team</p>"
         "<p>Microsoft Corporation, One Microsoft Way, Redmond, WA 98052</p>")
add(file="none-fr-facture", lang="fr", source="facture", code=None, charset="iso-8859-15", cte="quoted-printable", category="receipt",
    from_=("Free", "facture@free-mobile.fr"), subject="Votre facture Free Mobile de mars 2025",
    text="Bonjour,\n\nVotre facture n° 2025-0048193 d'un montant de 19,99 € est disponible dans votre Espace Abonné.\n\n"
         "Elle sera prélevée le 15/03/2025 sur votre compte se terminant par 4821.\n\nFree Mobile, 16 rue de la Ville-l'Évêque, 75008 Paris")
add(file="none-ja-newsletter-shiftjis", lang="ja", source="メールマガジン", code=None, charset="shift_jis", cte="base64", category="newsletter",
    from_=("ユニクロ", "mail@ml.uniqlo.com"), subject="【UNIQLO】週末限定価格 3月14日まで",
    text="いつもユニクロをご利用いただきありがとうございます。\n\n週末限定価格：2025年3月14日(金)まで\nエアリズムコットンTシャツ 1,990円→1,500円\n\n"
         "注文番号 4829103 のお客様へ：お届け予定日は3月15日です。\n\n株式会社ユニクロ 〒107-6231 東京都港区赤坂9-7-1")
add(file="none-es-pedido", lang="es", source="confirmación de pedido", code=None, layout="alt", category="receipt",
    from_=("Zara", "noreply@zara.com"), subject="Confirmación de tu pedido 48291037",
    text="Hola Octo,\n\nHemos recibido tu pedido nº 48291037 del 12/03/2025.\n\nTotal: 54,20 €\nEnvío a: Calle Mayor 12, 28013 Madrid\n\nGracias por comprar en Zara.",
    html="<p>Hola Octo,</p><p>Hemos recibido tu pedido nº <b>48291037</b> del 12/03/2025.</p><p>Total: 54,20&nbsp;€</p><p>Envío a: Calle Mayor 12, 28013 Madrid</p>")
add(file="none-ru-bank-statement", lang="ru", source="выписка по счёту", code=None, charset="koi8-r", cte="quoted-printable", category="receipt",
    from_=("Т-Банк", "noreply@tbank.ru"), subject="Выписка по счёту за февраль 2025",
    text="Здравствуйте!\n\nВыписка по счёту *4821 за период 01.02.2025 - 28.02.2025 во вложении.\n\nПоступления: 84 350,00 руб.\nСписания: 61 204,18 руб.\n\nТелефон поддержки: 8 800 555-77-78")
add(file="none-pl-faktura", lang="pl", source="faktura VAT", code=None, charset="iso-8859-2", cte="base64", category="receipt",
    from_=("Orange Polska", "faktura@orange.pl"), subject="Faktura VAT nr FV/2025/03/4821",
    text="Dzień dobry,\n\nW załączeniu przesyłamy fakturę VAT nr FV/2025/03/4821 na kwotę 123,45 zł.\nTermin płatności: 25.03.2025.\n\nNumer konta: 12 1140 0000 1234 5678 9012 3456\n\nOrange Polska S.A., Aleje Jerozolimskie 160, 02-326 Warszawa")
add(file="none-zh-promo", lang="zh", source="促销邮件", code=None, charset="gb2312", cte="base64", category="newsletter",
    from_=("京东", "newsletter@jd.com"), subject="京东3.8节 满300减50",
    text="尊敬的用户：\n\n3月8日大促开启，满300减50！\n订单号 4829103820 已发货，请注意查收。\n客服电话：400-606-5500\n\n退订回复TD")
add(file="none-en-verify-link-only", lang="en", source="e-mail confirmation by link", code=None, cte="quoted-printable", category="link-only",
    from_=("Slack", "feedback@slack.com"), subject="Confirm your email address on Slack",
    html="<h1>Confirm your email address</h1><p>Your confirmation link is below — click it to finish creating your workspace.</p>"
         "<p><a href=\"https://slack.com/confirm/email?token=abcdef0123\" style=\"background:#4a154b;color:#fff;padding:12px\">Confirm Email Address</a></p>"
         "<p>Made by Slack Technologies, LLC, 500 Howard Street, San Francisco, CA 94105</p>"
         "<p><a href=\"https://slack.com/help\">Help</a> · <a href=\"https://slack.com/unsubscribe\">Unsubscribe</a></p>")

# Codes written for reading (issue 14's held-out lesson): letter-spaced digits, dashed letters and digits.
add(file="en-letterspaced-html", lang="en", source="Letter-spaced code in a table cell", code="604317",
    from_=("Fieldnote", "no-reply@fieldnote.example"), subject="Verify your email",
    html="<table><tr><td style=\"letter-spacing:8px;font-size:32px\">6 0 4 3 1 7</td></tr></table>"
         "<p>Use the code above to verify your email. If you did not request it, ignore this message.</p>"
         "<p>&copy; 2026 Fieldnote. 1 Market Plaza, San Francisco CA 94105</p>")
add(file="en-dashed-alnum", lang="en", source="Dashed alphanumeric confirmation code", code="K7QX2M",
    from_=("Brightdesk", "security@brightdesk.example"), subject="Your Brightdesk confirmation code",
    text="Your confirmation code is:\n\nK7Q-X2M\n\nEnter it in the window where you started signing in. "
         "It expires in 15 minutes.\n\nDevice id: 3f2a9c1e-77b4-4c1d-9e2f-0a1b2c3d4e5f")

# A letter-and-digit code a character per cell, under a line that ends with a full stop (session 10);
# and a gift card's code set apart the same way, which is no sign-in's.
add(file="en-letter-cells-below", lang="en", source="Security code a character per table cell, the line above ends with a full stop (session 10)",
    code="K7QX2M", from_=("Epic Games", "help@acct.epicgames.com"), subject="Your security code",
    html="<p>Hello,</p><p>Here is the security code to verify your account. Use it within 15 minutes.</p><table><tr>"
         + "".join(f"<td style=\"padding:4px\">{d}</td>" for d in "K7QX2M") +
         "</tr></table><p>Thanks, The Epic Games Team</p>")
add(file="none-en-gift-card-cells", lang="en", source="A gift card's code set apart a character per cell (session 10)",
    code=None, category="gift", from_=("Brightdesk Store", "orders@brightdesk.example"), subject="You received a gift",
    html="<p>Hi Sam,</p><p>Alex sent you a Brightdesk gift card. Your gift card code is below.</p><table><tr>"
         + "".join(f"<td style=\"padding:4px\">{d}</td>" for d in "GC4KX9") +
         "</tr></table><p>Enter it at checkout. It never expires.</p>")

# A text alternative that is only a stub ("view it in a browser"): the code is in the HTML alone.
add(file="en-stub-text-alt", lang="en", source="Text alternative a stub, the code in the HTML alternative only (session 10)",
    code="482913", layout="alt", from_=("Fieldnote", "no-reply@fieldnote.example"), subject="Verify your sign-in",
    text="Your email client cannot display this message. View it in a browser: https://fieldnote.example/view/77312",
    html="<p>Your sign-in code is <b>482913</b>. It expires in 10 minutes.</p>"
         "<p>Fieldnote, 1 Market Plaza, San Francisco CA 94105. Questions? Call 1-800-555-0199.</p>")

def main():
    ours = {m["file"] + ".eml" for m in M}
    manifest = os.path.join(HERE, "manifest.jsonl")
    # Messages written by hand (not generated here) stay, with their lines of the manifest.
    kept = []
    if os.path.exists(manifest):
        with open(manifest, encoding="utf-8") as old:
            kept = [line for line in old if json.loads(line)["file"] not in ours]
    for f in ours:
        if os.path.exists(os.path.join(HERE, f)):
            os.remove(os.path.join(HERE, f))
    with open(manifest, "w", encoding="utf-8") as man:
        for i, m in enumerate(M):
            m["from"] = m.pop("from_")
            try:
                raw = message(m, i)
            except UnicodeEncodeError as e:
                raise SystemExit(f"{m['file']}: {e}")
            with open(os.path.join(HERE, m["file"] + ".eml"), "wb") as f:
                f.write(raw)
            man.write(json.dumps({"file": m["file"] + ".eml", "code": m["code"], "lang": m["lang"], "source": m["source"],
                                  "category": m.get("category", "code")}, ensure_ascii=False) + "\n")
        man.writelines(kept)

if __name__ == "__main__":
    main()

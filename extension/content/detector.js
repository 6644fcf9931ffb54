// @ts-check
/**
 * Finds one-time-code fields on a page: single fields, segmented widgets (one box per character)
 * and the single transparent input drawn over a row of boxes; says which kind of code each takes
 * (authenticator app, SMS, e-mail, or either); tells them from look-alikes (captchas, PINs, card
 * digits, postal/promo/gift codes, phone numbers, recovery codes, passwords). Walks open shadow
 * roots. Self-contained on purpose: no extension APIs, no modules, so a test can load this file
 * into any page. It defines `globalThis.LatchkeyDetector = { detect, isVisible, lastHidden }`.
 *
 * Everything read here (attributes, labels, nearby text) is written by the page and may be hostile:
 * it is only ever matched against word lists, never evaluated or echoed into the DOM.
 *
 * Cost: inputs are found with one selector query per (shadow) root; each is first judged on its
 * attributes and text (no layout), and only candidates that pass are measured.
 */
(() => {
  /** @typedef {import('../types/detector').DetectedGroup} DetectedGroup */
  /** @typedef {DetectedGroup['channel']} Channel */

  /** Input types a code can be typed into. */
  const TEXT_TYPES = new Set(['text', 'tel', 'number', 'password']);
  /** Below this confidence a field is not reported. */
  const THRESHOLD = 0.5;
  const MIN_BOXES = 4;
  const MAX_BOXES = 8;

  /**
   * The vocabulary, per language, as data. Phrases are written in the normalised form of `words()`
   * (lower case, punctuation as one space, "E-Mail" → "e mail"); a trailing `*` on a word matches
   * any ending ("одноразов*"). Phrases in scripts written without spaces (Chinese, Japanese,
   * Korean, Arabic, Devanagari) match anywhere in the text.
   *
   * - code: names a one-time code. weak: suggests one ("code") but means many other things.
   *   generic: code phrases that look-alikes use too; they count as code, but not against a look-alike heading.
   * - app / sms / email: where the code comes from.
   * - not: a look-alike even when it also says "code" (captcha, card, postal, promo).
   * - spare: a code kept for when the one-time code cannot be had (backup, recovery): a look-alike
   *   too, unless the same words name the one-time code as well ("Authentication code or backup code").
   * - notUnlessCode: a look-alike unless the same text names a one-time code ("one-time password"
   *   is no password field; "PIN" alone is a static PIN).
   * - phone: a phone-number field, unless the same text names a code.
   * - step: names a verification step without naming a code ("Verify", "Confirm it's you",
   *   "Ověření"): with the shape of a code field, enough for a bare step (see `bareStep`).
   * @type {Record<string, Partial<Record<'code' | 'generic' | 'weak' | 'app' | 'sms' | 'email' | 'not' | 'spare' |
   *   'notUnlessCode' | 'phone' | 'step', string[]>>>}
   */
  const VOCAB = {
    en: {
      code: [
        'one time code',
        'one time password',
        'one time passcode',
        'one time pin',
        'onetime code',
        'one time security code',
        '2 fa',
        'tfa',
        'two factor',
        'twofactor',
        'twofa',
        '2 factor',
        'second factor',
        'multi factor',
        'two step',
        '2 step',
        'verification code',
        'verify code',
        'verification token',
        'security code',
        'authentication code',
        'auth code',
        'authenticator',
        'authentication token',
        'mfa token',
        'passcode',
        'login code',
        'log in code',
        'sign in code',
        'signin code',
        'confirmation code',
        'digit code',
        'access code',
        'time dependent token',
        'time based',
        'sms code',
        'sms pin',
        'text code',
        'code we sent',
        'code we texted',
        'code we emailed',
        'code sent',
        'steam guard',
        'guard code',
        'approvals code',
        'code from your',
        'code from the',
        'we sent you a code',
        'enter the code',
        'code generator',
        'sms authentication',
        'sms verification',
        'text message verification',
        'verification pin',
        'sent a code',
        'sent you a code',
        'code has been sent',
        'code was sent',
        'sent a verification code',
        'mfa code',
      ],
      // Code phrases that other things use too (a gift card's "4-digit code", a card's "security code").
      // An airline's or hotel's "confirmation code" is the booking's reference (beside a last name).
      generic: ['access code', 'digit code', 'security code', 'code from the', 'enter the code', 'confirmation code'],
      weak: ['code', 'token', 'verify', 'verification', 'confirm', 'digit', 'digits', 'otc'],
      app: [
        'authenticator',
        'auth app',
        'authentication app',
        'authenticator app',
        'totp',
        'from your app',
        'two factor app',
        'your app',
        'app code',
        'time dependent',
        'time based',
        'google authenticator',
        'authy',
        'steam guard',
        'mobile app',
        'duo mobile',
        'okta verify',
        'freeotp',
        'vip access',
        'securid',
        'code generator',
        'authenticator application',
        'mobile application',
        // A code "generated" comes from an app; a service's code is sent.
        'generated by',
        'password application',
        'password app',
        'mfa device',
        'authenticator device',
        // A token's code is time-based too: a phone's token app or a key fob (FortiToken, SecurID).
        'token app',
        'mobile token',
        'soft token',
        'software token',
        'hardware token',
        'token code',
        'tokencode',
      ],
      sms: [
        'sms',
        'text message',
        'texted',
        'text you',
        'sent to your phone',
        'sent to your mobile',
        'mobile number',
        'phone number',
        'on your phone',
        'phone ending',
        'ending in',
        'by text',
        'via text',
        'sent to phone',
      ],
      email: ['email', 'e mail', 'emailed', 'mail', 'inbox'],
      not: [
        'captcha',
        'recaptcha',
        'hcaptcha',
        'not a robot',
        'characters you see',
        'characters in the image',
        'shown in the image',
        'in the picture',
        'zip',
        'postal',
        'postcode',
        'post code',
        'promo',
        'promotion',
        'promotional',
        'coupon',
        'voucher',
        'gift',
        'giftcard',
        'discount',
        'referral',
        'redeem',
        'redemption',
        'card',
        'credit',
        'debit',
        'cvv',
        'cvc',
        'csc',
        'cvn',
        'cid',
        'expiry',
        'expiration',
        'iban',
        'sort code',
        'routing',
        'reset',
        'invite code',
        'invitation code',
        'claim code',
        // codes that join a team, a class or a game: shared, never sent for a sign-in
        'team code',
        'join code',
        'workspace code',
        'class code',
        'group code',
        'room code',
        'game code',
        'game pin',
        'event code',
        'survey',
        'receipt',
        'year of birth',
        'date of birth',
        'birth',
        'your age',
        'yyyy',
        'on your tv',
        'tv screen',
        'activate your device',
        'activate your tv',
        'device activation',
        'link your device',
        'device code',
        'tracking code',
        'tracking number',
        'track your package',
        'track your order',
        'meeting code',
        'meeting id',
        'meeting passcode',
        'join code',
        'class code',
        'room code',
        'event code',
        'booking code',
        'booking reference',
        'reservation code',
        'reservation',
        'itinerary',
        'find your trip',
        'your trip',
        'my trips',
        'manage booking',
        'manage your booking',
        'my booking',
        'flight number',
        'webinar',
        'on the back of',
        'product registration',
        'warranty',
        'order number',
        'license key',
        'licence key',
        'product key',
        'serial number',
        'social security',
        'ssn',
        'tax id',
        'taxpayer',
        'national id',
        'passport number',
        'driver s license',
        'last 4 digits',
        'last four digits',
        'account number',
        'recovery',
        'backup',
        'scratch',
        'bypass',
      ],
      // A lone "recovery" or "backup" also names a way round the second factor (a recovery e-mail, a
      // bypass form): a look-alike, whatever code it sends.
      spare: ['recovery code*', 'backup code*', 'scratch code*', 'rescue code', 'emergency code'],
      notUnlessCode: [
        'pin',
        'password',
        'passwd',
        'pwd',
        'new password',
        'username',
        'user name',
        'search',
        'quantity',
        'qty',
        'amount',
        'access token',
        'api token',
        'api key',
        'account number',
        'member number',
        'membership number',
        'customer number',
        'license',
        'serial',
        'customer id',
        'member id',
        'user id',
        'client number',
        'contract number',
      ],
      phone: ['phone', 'mobile', 'msisdn', 'cell', 'telephone', 'phone number', 'mobile number'],
      step: [
        'verify',
        'verification',
        'verify it s you',
        'confirm it s you',
        'confirm your identity',
        'verify your identity',
        'security check',
        'authenticate',
        'authentication',
        'two step',
        '2 step',
        'mfa',
        '2 fa',
        'challenge',
        'one more step',
        'identity check',
        'login verification',
        'sign in verification',
        'confirm sign in',
        'confirm your sign in',
        'confirm login',
        'confirm your login',
      ],
    },
    es: {
      code: [
        'código de verificación',
        'codigo de verificacion',
        'código de seguridad',
        'código de confirmación',
        'código de acceso',
        'código de un solo uso',
        'contraseña de un solo uso',
        'clave dinámica',
        'clave de un solo uso',
        'código de autenticación',
        'verificación en dos pasos',
        'código enviado',
        'código sms',
        'código que te enviamos',
      ],
      weak: ['código', 'codigo', 'verificar'],
      app: [
        'aplicación de autenticación',
        'app de autenticación',
        'autenticador',
        'aplicación autenticadora',
        'generado por',
      ],
      sms: ['mensaje de texto', 'por sms', 'teléfono', 'celular', 'móvil'],
      email: ['correo', 'correo electrónico'],
      not: [
        'código postal',
        'cupón',
        'código promocional',
        'código de descuento',
        'tarjeta',
        'tarjeta de regalo',
        'caracteres de la imagen',
        'seguro social',
        'últimos 4 dígitos',
        'últimos cuatro dígitos',
        'número de cuenta',
      ],
      spare: ['código de recuperación', 'código de respaldo'],
      notUnlessCode: ['contraseña', 'clave', 'usuario'],
      phone: ['teléfono', 'celular', 'móvil', 'número de teléfono'],
      step: ['verificar', 'verificación', 'verificar identidad', 'confirma que eres tú', 'autenticación'],
    },
    pt: {
      code: [
        'código de verificação',
        'codigo de verificacao',
        'código de segurança',
        'código de confirmação',
        'código de acesso',
        'código de autenticação',
        'senha de uso único',
        'código de uso único',
        'verificação em duas etapas',
        'código enviado',
        'código sms',
        'código que enviamos',
        'token de acesso',
      ],
      weak: ['código', 'verificação'],
      app: [
        'aplicativo autenticador',
        'aplicativo de autenticação',
        'app autenticador',
        'autenticador',
        'gerado no aplicativo',
        'gerado pelo aplicativo',
        'gerado por',
      ],
      sms: ['mensagem de texto', 'celular', 'telefone', 'torpedo'],
      email: ['e mail', 'correio eletrônico'],
      not: [
        'cep',
        'cupom',
        'código promocional',
        'desconto',
        'cartão',
        'vale presente',
        'cartão presente',
        'caracteres da imagem',
        'cpf',
        'cnpj',
        'últimos 4 dígitos',
        'número da conta',
      ],
      spare: ['código de recuperação', 'códigos de backup'],
      notUnlessCode: ['senha', 'usuário'],
      phone: ['telefone', 'celular', 'número de telefone'],
      step: ['verificação', 'verificar', 'confirme que é você', 'autenticação'],
    },
    fr: {
      code: [
        'code de vérification',
        'code de verification',
        'code de sécurité',
        'code de confirmation',
        'code d accès',
        'code à usage unique',
        'mot de passe à usage unique',
        'code d authentification',
        'double authentification',
        'authentification à deux facteurs',
        'code de connexion',
        'code envoyé',
        'code reçu',
      ],
      weak: ['vérification', 'vérifier'],
      app: [
        'application d authentification',
        'authentificateur',
        'application authenticator',
        'généré par',
        'générée par',
      ],
      sms: ['texto', 'par sms', 'téléphone', 'portable'],
      email: ['courriel', 'adresse électronique'],
      not: [
        'code postal',
        'code promo',
        'bon de réduction',
        'carte',
        'carte cadeau',
        'caractères de l image',
        'sécurité sociale',
        '4 derniers chiffres',
        'quatre derniers chiffres',
        'numéro de compte',
      ],
      spare: ['code de secours', 'code de récupération'],
      notUnlessCode: ['mot de passe', 'identifiant', 'utilisateur'],
      phone: ['téléphone', 'portable', 'numéro de téléphone'],
      step: ['vérification', 'vérifier', 'vérification de sécurité', 'authentification', 'confirmez votre identité'],
    },
    de: {
      code: [
        'bestätigungscode*',
        'sicherheitscode*',
        'verifizierungscode*',
        'einmalcode*',
        'einmalpasswort*',
        'einmal passwort',
        'einmalkennwort*',
        'authentifizierungscode*',
        'anmeldecode*',
        'zwei faktor*',
        '2 faktor*',
        'bestätigungs code',
        'sms tan',
        'mtan',
        'smstan',
        'tan',
        'prüfcode*',
      ],
      weak: ['bestätigen'],
      app: [
        'authenticator app',
        'authentifizierungs app',
        'authentifizierungsapp',
        'authentifikator*',
        'authenticator',
      ],
      sms: ['textnachricht', 'handy', 'mobilnummer', 'telefonnummer', 'mobiltelefon', 'per sms'],
      email: ['posteingang'],
      not: [
        'plz',
        'postleitzahl',
        'gutschein*',
        'rabatt*',
        'aktionscode*',
        'karte',
        'kreditkarte*',
        'geschenkkarte*',
        'zeichen im bild',
        'steuer id',
        'sozialversicherungsnummer',
        'letzten 4 ziffern',
        'letzten vier ziffern',
        'kontonummer',
      ],
      spare: ['wiederherstellungscode*', 'backup code*', 'notfallcode*'],
      notUnlessCode: ['passwort', 'kennwort', 'benutzername'],
      phone: ['handy', 'mobilnummer', 'telefonnummer', 'telefon'],
      step: [
        'bestätigen',
        'anmeldung bestätigen',
        'verifizierung',
        'überprüfung',
        'sicherheitsprüfung',
        'authentifizierung',
      ],
    },
    it: {
      code: [
        'codice di verifica',
        'codice di sicurezza',
        'codice di conferma',
        'codice monouso',
        'password monouso',
        'codice otp',
        'autenticazione a due fattori',
        'codice di accesso',
        'codice ricevuto',
      ],
      weak: ['codice', 'verifica'],
      app: ['app di autenticazione', 'autenticatore', 'applicazione di autenticazione', 'generato da', 'generato dall'],
      sms: ['messaggio', 'cellulare', 'telefono'],
      email: ['posta elettronica'],
      not: [
        'cap',
        'codice sconto',
        'codice promozionale',
        'buono',
        'carta',
        'carta di credito',
        'caratteri nell immagine',
      ],
      spare: ['codice di recupero', 'codice di backup'],
      notUnlessCode: ['nome utente'],
      phone: ['cellulare', 'telefono', 'numero di telefono'],
      step: ['verifica', 'verifica identità', 'autenticazione'],
    },
    nl: {
      code: [
        'verificatiecode',
        'beveiligingscode',
        'bevestigingscode',
        'eenmalige code',
        'eenmalig wachtwoord',
        'tweestapsverificatie',
        'authenticatiecode',
        'inlogcode',
        'sms code',
        'controlecode',
      ],
      app: ['authenticator app', 'authenticatie app', 'authenticatieapp'],
      sms: ['sms bericht', 'telefoon', 'mobiele nummer', 'sms je'],
      not: ['kortingscode', 'cadeaukaart', 'cadeaubon', 'creditcard', 'kaart', 'tekens in de afbeelding'],
      spare: ['herstelcode*'],
      notUnlessCode: ['wachtwoord', 'gebruikersnaam'],
      phone: ['telefoon', 'telefoonnummer', 'mobiele nummer'],
      step: ['verificatie', 'verifiëren', 'bevestigen', 'authenticatie'],
    },
    ru: {
      code: [
        'код подтвержд*',
        'код из смс',
        'код из sms',
        'одноразов* код*',
        'одноразов* парол*',
        'проверочн* код*',
        'код безопасности',
        'код верификации',
        'код аутентификации',
        'двухфакторн*',
        'код из приложения',
        'смс код',
        'код из сообщения',
      ],
      weak: ['код', 'кода', 'подтверждение'],
      app: ['аутентификатор*', 'приложени* аутентифи*', 'приложени* для аутентифи*', 'из приложения'],
      sms: ['смс', 'телефон*', 'сообщени*'],
      email: ['почт*', 'электронн* почт*'],
      not: [
        'капч*',
        'код с картинки',
        'символы с картинки',
        'символы на картинке',
        'промокод*',
        'купон*',
        'подарочн*',
        'карта',
        'карты',
        'карту',
        'картой',
        'индекс',
        'почтов* индекс',
      ],
      spare: ['резервн* код*', 'код* восстановлен*'],
      notUnlessCode: ['пароль', 'пароля', 'логин', 'пин', 'пин код'],
      phone: ['телефон', 'номер телефона', 'мобильн* телефон*'],
      step: ['подтверждение', 'проверка', 'подтвердите вход', 'аутентификация'],
    },
    zh: {
      // 验证码 alone is as often an image captcha as a texted code: weak unless the text says more.
      code: [
        '短信验证码',
        '手机验证码',
        '邮箱验证码',
        '动态验证码',
        '获取验证码',
        '发送验证码',
        '簡訊驗證碼',
        '手機驗證碼',
        '取得驗證碼',
        '获取动态码',
        '校验码',
        '校驗碼',
        '动态码',
        '動態碼',
        '动态密码',
        '動態密碼',
        '一次性密码',
        '一次性密碼',
        '两步验证',
        '兩步驟驗證',
        '双重验证',
        '二次验证',
        '认证码',
        '認證碼',
        '动态口令',
        '确认码',
        '確認碼',
        '安全验证',
      ],
      weak: ['验证码', '驗證碼'],
      app: ['身份验证器', '身分驗證器', '验证器', '驗證器', '身份验证应用', '谷歌验证器', '认证器'],
      sms: ['短信', '簡訊', '手机', '手機'],
      email: ['邮箱', '邮件', '電子郵件', '郵箱', '电子邮件'],
      not: [
        '图形验证码',
        '图片验证码',
        '图像验证码',
        '圖形驗證碼',
        '看不清',
        '换一张',
        '換一張',
        '优惠码',
        '优惠券',
        '兑换码',
        '礼品卡',
        '邀请码',
        '邮编',
        '邮政编码',
        '郵遞區號',
        '卡号',
        '银行卡',
        '信用卡',
        '备份码',
        '救援码',
      ],
      spare: ['备用码', '恢复码', '恢复代码'],
      notUnlessCode: ['密码', '密碼', '用户名', '支付密码'],
      phone: ['手机号', '手機號', '电话号码', '電話號碼'],
      step: ['身份验证', '安全验证', '验证身份', '身分驗證', '驗證身分', '登录验证'],
    },
    ja: {
      code: [
        '確認コード',
        '認証コード',
        'ワンタイムパスワード',
        'ワンタイムコード',
        '検証コード',
        '二段階認証',
        '2段階認証',
        'ワンタイム',
        'セキュリティコードを入力',
        '認証番号',
        '確認番号',
      ],
      weak: ['コード'],
      app: ['認証アプリ', '認証システムアプリ', 'オーセンティケーター', 'authenticator'],
      sms: ['ショートメッセージ', '携帯電話', '電話番号', 'sms'],
      email: ['メール'],
      not: ['画像認証', '画像の文字', 'クーポン', 'プロモーション', 'ギフト', '招待コード', '郵便番号', 'カード'],
      spare: ['バックアップコード', 'リカバリーコード', '復旧コード', 'リカバリコード'],
      notUnlessCode: ['パスワード', '暗証番号', 'ユーザー名'],
      phone: ['電話番号', '携帯番号'],
      step: ['本人確認', '認証', '確認'],
    },
    ko: {
      code: [
        '인증번호',
        '인증 번호',
        '인증코드',
        '인증 코드',
        '확인 코드',
        '확인코드',
        '일회용 비밀번호',
        '일회용 코드',
        '2단계 인증',
        '보안 코드',
        'otp',
      ],
      weak: ['코드'],
      app: ['인증 앱', '인증앱', '인증기 앱', 'otp 앱', '인증 애플리케이션'],
      sms: ['문자', '휴대폰', '휴대전화'],
      email: ['이메일'],
      not: ['자동입력 방지', '자동입력방지', '보안문자', '쿠폰', '프로모션', '기프트', '할인', '우편번호', '카드'],
      spare: ['백업 코드', '복구 코드'],
      notUnlessCode: ['비밀번호', '암호', '아이디'],
      phone: ['휴대폰 번호', '전화번호', '휴대전화 번호'],
      step: ['본인 확인', '본인확인', '인증'],
    },
    ar: {
      code: [
        'رمز التحقق',
        'رمز التأكيد',
        'رمز الأمان',
        'كلمة المرور لمرة واحدة',
        'كلمة مرور لمرة واحدة',
        'رمز لمرة واحدة',
        'كود التحقق',
        'التحقق بخطوتين',
        'رمز المصادقة',
        'الرمز المرسل',
        'رمز التفعيل',
      ],
      weak: ['رمز', 'كود'],
      app: ['تطبيق المصادقة', 'تطبيق مصادقة'],
      sms: ['رسالة نصية', 'الرسائل القصيرة', 'هاتف', 'الجوال', 'جوال'],
      email: ['البريد الإلكتروني', 'بريد'],
      not: ['كوبون', 'قسيمة', 'رمز الخصم', 'رمز ترويجي', 'الرمز البريدي', 'بطاقة', 'رمز الصورة'],
      spare: ['رمز الاسترداد', 'رموز احتياطية', 'رمز احتياطي'],
      notUnlessCode: ['كلمة المرور', 'اسم المستخدم'],
      phone: ['رقم الهاتف', 'رقم الجوال'],
      step: ['التحقق', 'تحقق', 'المصادقة'],
    },
    hi: {
      code: ['सत्यापन कोड', 'ओटीपी', 'वन टाइम पासवर्ड', 'एक बार का पासवर्ड', 'पुष्टिकरण कोड', 'सुरक्षा कोड'],
      weak: ['कोड'],
      app: ['ऑथेंटिकेटर', 'प्रमाणक ऐप', 'प्रमाणीकरण ऐप'],
      sms: ['एसएमएस', 'मोबाइल', 'फ़ोन', 'फोन'],
      email: ['ईमेल'],
      not: ['कूपन', 'प्रोमो', 'पिन कोड', 'कार्ड'],
      spare: ['बैकअप कोड', 'रिकवरी कोड'],
      notUnlessCode: ['पासवर्ड'],
      phone: ['मोबाइल नंबर', 'फ़ोन नंबर'],
      step: ['सत्यापन'],
    },
    tr: {
      code: [
        'doğrulama kod*',
        'onay kod*',
        'güvenlik kod*',
        'tek kullanımlık şifre*',
        'tek kullanımlık kod*',
        'sms şifre*',
        'iki adımlı',
        'iki faktörlü',
        'aktivasyon kod*',
        'tek seferlik',
      ],
      weak: ['kod', 'kodu', 'doğrulama'],
      app: ['kimlik doğrulama uygulama*', 'kimlik doğrulayıcı', 'doğrulama uygulama*', 'authenticator uygulama*'],
      sms: ['kısa mesaj', 'cep telefon*', 'telefon*'],
      email: ['e posta*', 'eposta*'],
      not: ['posta kod*', 'kupon*', 'indirim*', 'hediye*', 'promosyon*', 'kart*', 'resimdeki'],
      spare: ['yedek kod*', 'kurtarma kod*'],
      notUnlessCode: ['şifre', 'şifreniz', 'parola', 'kullanıcı adı'],
      phone: ['telefon numara*', 'cep telefon*'],
      step: ['doğrulama', 'kimlik doğrulama'],
    },
    pl: {
      code: [
        'kod weryfikacyjn*',
        'kod potwierdzając*',
        'kod jednorazow*',
        'hasło jednorazowe',
        'kod bezpieczeństwa',
        'kod sms',
        'kod uwierzytelniając*',
        'weryfikacja dwuetapowa',
        'kod autoryzacyjn*',
        'kodu weryfikacyjnego',
      ],
      weak: ['kod', 'kodu'],
      app: ['aplikacj* uwierzytelniając*', 'aplikacj* authenticator', 'aplikacj* do uwierzytelniania'],
      sms: ['wiadomość tekstow*', 'telefon*'],
      email: ['skrzynk*'],
      not: ['kod pocztowy', 'kod rabatowy', 'kod promocyjny', 'karta', 'karty', 'kod z obrazka'],
      spare: ['kod* zapasow*', 'kod* odzyskiwania'],
      notUnlessCode: ['hasło', 'hasła', 'login'],
      phone: ['numer telefonu', 'telefon komórkowy'],
      step: ['weryfikacja', 'potwierdź', 'uwierzytelnianie'],
    },
    id: {
      code: [
        'kode verifikasi',
        'kode otp',
        'kode keamanan',
        'kode konfirmasi',
        'kata sandi sekali pakai',
        'kode sekali pakai',
        'verifikasi dua langkah',
        'kode autentikasi',
      ],
      weak: ['kode', 'verifikasi'],
      app: ['aplikasi autentikator', 'aplikasi authenticator', 'aplikasi autentikasi'],
      sms: ['pesan teks', 'nomor ponsel', 'ponsel', 'nomor hp', 'telepon'],
      email: ['surel'],
      not: ['kode pos', 'kode promo', 'kode voucher', 'kartu'],
      spare: ['kode cadangan', 'kode pemulihan'],
      notUnlessCode: ['kata sandi', 'nama pengguna'],
      phone: ['nomor ponsel', 'nomor telepon', 'nomor hp'],
      step: ['verifikasi', 'autentikasi'],
    },
    vi: {
      code: [
        'mã xác minh',
        'mã xác thực',
        'mã otp',
        'mã bảo mật',
        'mã xác nhận',
        'mật khẩu một lần',
        'xác thực hai yếu tố',
        'xác minh hai bước',
      ],
      weak: ['mã'],
      app: ['ứng dụng xác thực', 'ứng dụng authenticator'],
      sms: ['tin nhắn', 'điện thoại'],
      email: ['thư điện tử'],
      not: ['mã bưu chính', 'mã bưu điện', 'mã giảm giá', 'mã khuyến mãi', 'phiếu quà tặng', 'thẻ'],
      spare: ['mã dự phòng', 'mã khôi phục'],
      notUnlessCode: ['mật khẩu', 'tên đăng nhập'],
      phone: ['số điện thoại'],
      step: ['xác minh', 'xác thực'],
    },
    // Added with the world pages (docs/detection.md). Wording after nextcloud/twofactor_gateway l10n and each
    // language's sign-in pages.
    cs: {
      code: [
        'ověřovací kód',
        'overovaci kod',
        'přístupový kód',
        'jednorázový kód',
        'jednorázové heslo',
        'potvrzovací kód',
        'autorizační kód',
        'bezpečnostní kód',
        'dvoufázové ověření',
        'dvoufaktorové ověření',
        'kód z aplikace',
        'kód z sms',
      ],
      weak: ['kód', 'kódu', 'ověřit'],
      app: [
        'ověřovací aplikace',
        'ověřovací aplikaci',
        'autentizační aplikace',
        'aplikace authenticator',
        'z aplikace',
      ],
      sms: ['v sms', 'sms zprávě', 'telefonní číslo', 'mobil'],
      email: ['e mailem', 'e mail', 'na e mail'],
      not: ['psč', 'slevový kód', 'dárkov*', 'kupón*', 'karta', 'platební kart*', 'opište znaky'],
      spare: ['záložní kód*', 'kód pro obnovení'],
      notUnlessCode: ['heslo', 'uživatelské jméno'],
      phone: ['telefonní číslo', 'mobilní číslo'],
      step: ['ověření', 'ověřit', 'potvrzení přihlášení', 'potvrzení'],
    },
    sk: {
      code: [
        'overovací kód',
        'prístupový kód',
        'jednorazový kód',
        'jednorazové heslo',
        'potvrdzovací kód',
        'autentizačný kód',
        'dvojfaktorové overenie',
        'dvojstupňové overenie',
      ],
      weak: ['kód', 'overiť'],
      app: ['overovacej aplikácie', 'overovacia aplikácia', 'autentifikačnej aplikácie', 'z aplikácie'],
      sms: ['v sms', 'sms správ*'],
      not: ['psč', 'zľavový kód', 'darčekov*', 'kupón*', 'karta'],
      spare: ['záložný kód*'],
      notUnlessCode: ['heslo', 'používateľské meno'],
      phone: ['telefónne číslo'],
      step: ['overenie', 'overiť'],
    },
    hu: {
      code: [
        'hitelesítőkód*',
        'ellenőrző kód*',
        'megerősítő kód*',
        'egyszer használatos kód*',
        'egyszer használatos jelszó',
        'biztonsági kód*',
        'kétlépcsős azonosítás',
        'kétfaktoros hitelesítés',
        'belépési kód*',
      ],
      weak: ['kód*'],
      app: ['hitelesítő alkalmazás*', 'hitelesítő app*', 'authenticator alkalmazás*'],
      sms: ['sms ben', 'telefonszám*'],
      email: ['e mail*'],
      not: ['irányítószám', 'kuponkód*', 'kupon*', 'ajándékkártya*', 'kártya*'],
      spare: ['tartalék kód*', 'helyreállító kód*'],
      notUnlessCode: ['jelszó', 'felhasználónév'],
      phone: ['telefonszám'],
      step: ['ellenőrzés', 'azonosítás', 'megerősítés'],
    },
    ro: {
      code: [
        'cod de verificare',
        'codul de verificare',
        'cod de autentificare',
        'cod de confirmare',
        'cod unic',
        'parolă unică',
        'autentificare în doi pași',
        'cod de securitate',
      ],
      weak: ['cod', 'codul'],
      app: ['aplicația de autentificare', 'aplicatia de autentificare', 'aplicație de autentificare'],
      sms: ['prin sms', 'numărul de telefon', 'telefon'],
      not: ['cod poștal', 'cod promoțional', 'cupon*', 'card*'],
      spare: ['cod de rezervă', 'cod de recuperare'],
      notUnlessCode: ['parolă', 'parola', 'nume de utilizator'],
      phone: ['număr de telefon'],
      step: ['verificare', 'autentificare', 'confirmare'],
    },
    sv: {
      code: [
        'verifieringskod*',
        'autentiseringskod*',
        'engångskod*',
        'säkerhetskod*',
        'bekräftelsekod*',
        'inloggningskod*',
        'tvåstegsverifiering',
        'tvåfaktorsautentisering',
      ],
      weak: ['kod', 'koden'],
      app: ['autentiseringsapp*', 'autentiseringsappen'],
      sms: ['via sms', 'sms till', 'mobilnummer'],
      email: ['e post*'],
      not: ['postnummer', 'rabattkod*', 'presentkort*', 'kort'],
      spare: ['reservkod*', 'återställningskod*'],
      notUnlessCode: ['lösenord', 'användarnamn'],
      phone: ['mobilnummer', 'telefonnummer'],
      step: ['verifiera', 'verifiering', 'bekräfta'],
    },
    nb: {
      code: [
        'autentiseringskode*',
        'engangskode*',
        'bekreftelseskode*',
        'sikkerhetskode*',
        'tilgangskode*',
        'godkendelseskode*',
        'godkendelses kode',
        'bekræftelseskode*',
        'tofaktorautentisering',
        'totrinnsbekreftelse',
        'totrinsbekræftelse',
      ],
      weak: ['kode', 'koden'],
      app: ['autentiseringsapp*', 'autentificeringsapp*', 'godkendelsesapp*'],
      sms: ['på sms', 'via sms', 'mobilnummer'],
      email: ['e post*'],
      not: ['postnummer', 'rabattkode*', 'gavekort*', 'kort'],
      spare: ['reservekode*', 'gjenopprettingskode*'],
      notUnlessCode: ['passord', 'adgangskode', 'brukernavn', 'brugernavn'],
      phone: ['mobilnummer', 'telefonnummer'],
      step: ['bekreft', 'bekræft', 'bekræft din identitet', 'verifiser'],
    },
    fi: {
      code: [
        'vahvistuskoodi*',
        'tunnistuskoodi*',
        'kertakäyttöinen koodi*',
        'kertakäyttöinen salasana',
        'turvakoodi*',
        'kaksivaiheinen tunnistautuminen',
        'kaksivaiheinen vahvistus',
      ],
      weak: ['koodi*'],
      app: ['todennussovellu*', 'tunnistussovellu*', 'authenticator sovellu*'],
      sms: ['tekstiviesti*', 'puhelinnumero*'],
      email: ['sähköposti*'],
      not: ['postinumero', 'alennuskoodi*', 'lahjakortti*', 'kortti*'],
      spare: ['varakoodi*', 'palautuskoodi*'],
      notUnlessCode: ['salasana', 'käyttäjätunnus'],
      phone: ['puhelinnumero'],
      step: ['vahvista', 'vahvistus', 'tunnistautuminen'],
    },
    el: {
      code: [
        'κωδικός επαλήθευσης',
        'κωδικός επιβεβαίωσης',
        'κωδικός μιας χρήσης',
        'κωδικός πιστοποίησης',
        'κωδικός ασφαλείας',
        'έλεγχος ταυτότητας δύο παραγόντων',
      ],
      weak: ['κωδικός', 'κωδικό'],
      app: ['εφαρμογή επαλήθευσης', 'εφαρμογή ελέγχου ταυτότητας'],
      sms: ['με sms', 'κινητό'],
      not: ['ταχυδρομικός κώδικας', 'κουπόνι', 'κάρτα'],
      spare: ['κωδικός ανάκτησης'],
      notUnlessCode: ['συνθηματικό', 'όνομα χρήστη'],
      phone: ['αριθμός τηλεφώνου', 'κινητό τηλέφωνο'],
      step: ['επαλήθευση', 'επιβεβαίωση'],
    },
    th: {
      code: ['รหัสยืนยัน', 'รหัส otp', 'รหัสผ่านแบบใช้ครั้งเดียว', 'รหัสผ่านครั้งเดียว', 'รหัสความปลอดภัย'],
      weak: ['รหัส'],
      app: ['แอปยืนยันตัวตน', 'แอปพลิเคชันยืนยันตัวตน'],
      sms: ['ทาง sms', 'หมายเลขโทรศัพท์', 'โทรศัพท์มือถือ'],
      email: ['อีเมล'],
      not: ['รหัสไปรษณีย์', 'คูปอง', 'โค้ดส่วนลด', 'บัตร'],
      spare: ['รหัสสำรอง'],
      notUnlessCode: ['รหัสผ่าน', 'ชื่อผู้ใช้'],
      phone: ['หมายเลขโทรศัพท์'],
      step: ['ยืนยันตัวตน', 'ยืนยัน'],
    },
    ms: {
      code: [
        'kod pengesahan',
        'kod tac',
        'kod otp',
        'kata laluan sekali guna',
        'kod keselamatan',
        'pengesahan dua langkah',
      ],
      weak: ['kod', 'sahkan'],
      app: ['aplikasi pengesah', 'aplikasi pengesahan'],
      sms: ['melalui sms', 'nombor telefon'],
      email: ['e mel'],
      not: ['poskod', 'kod promosi', 'baucar', 'kad', 'kod sandaran'],
      notUnlessCode: ['kata laluan', 'nama pengguna'],
      phone: ['nombor telefon'],
      step: ['pengesahan', 'sahkan log masuk'],
    },
    uk: {
      code: ['код підтвердження', 'одноразовий код', 'одноразовий пароль', 'код з смс', 'код із смс', 'двофакторн*'],
      weak: ['код'],
      app: ['застосунку автентифікації', 'додатку автентифікації'],
      sms: ['смс', 'телефон*'],
      not: ['поштовий індекс', 'промокод*', 'картк*'],
      spare: ['резервн* код*'],
      notUnlessCode: ['пароль', 'логін'],
      phone: ['номер телефону'],
      step: ['підтвердження', 'перевірка'],
    },
  };

  /** Scripts written without spaces between words: their phrases match anywhere. */
  const UNSPACED = new RegExp(
    String.raw`[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}` +
      String.raw`\p{Script=Arabic}\p{Script=Devanagari}\p{Script=Thai}]`,
    'u',
  );

  /**
   * One regular expression per vocabulary list (or lists), over all languages (of `VOCAB`, or another table).
   * @param {string | string[]} lists
   * @param {Record<string, Partial<Record<string, string[]>>>} [vocab]
   */
  function compile(lists, vocab = VOCAB) {
    /** @type {string[]} */
    const spaced = [];
    /** @type {string[]} */
    const unspaced = [];
    for (const lang of Object.values(vocab)) {
      for (const phrase of [lists].flat().flatMap((list) => lang[list] || [])) {
        const source = phrase
          .split(' ')
          .map((w) => (w.endsWith('*') ? `${escapeRegExp(w.slice(0, -1))}[\\p{L}\\p{M}\\p{N}]*` : escapeRegExp(w)))
          .join(' ');
        (UNSPACED.test(phrase) ? unspaced : spaced).push(source);
      }
    }
    const parts = [];
    if (spaced.length) parts.push(`(?<= )(?:${spaced.join('|')})(?= )`);
    if (unspaced.length) parts.push(`(?:${unspaced.join('|')})`);
    return new RegExp(parts.join('|'), 'gu');
  }

  /** @param {string} s */
  function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }

  const RE = {
    code: compile('code'),
    generic: compile('generic'),
    weak: compile('weak'),
    app: compile('app'),
    sms: compile('sms'),
    email: compile('email'),
    not: compile(['not', 'spare']),
    spare: compile('spare'),
    notUnlessCode: compile('notUnlessCode'),
    phone: compile('phone'),
    step: compile('step'),
  };
  /** Token stems that name a one-time code inside compound names (`mfacode`, `otpCode`, `motp`). */
  const CODE_STEMS = /(?<= )(?:\p{L}{0,2}otp\p{L}*|totp\p{L}*|mfa\p{L}*)(?= )/u;
  /** Autocomplete tokens that declare some other kind of field. */
  const OTHER_AUTOCOMPLETE = new RegExp(
    String.raw`\b(username|email|tel|tel-[a-z-]+|cc-[a-z-]+|postal-code|street-address|address-line\d` +
      String.raw`|address-level\d|country|country-name|name|given-name|family-name|additional-name` +
      '|organization|bday(-[a-z]+)?|new-password|current-password|transaction-amount' +
      String.raw`|url|photo|sex|language)\b`,
  );
  /**
   * An e-mail address. It says the code went by e-mail only when masked ("j***@example.com": a page
   * masks an address only to say where it sent something) or when the words around it say a code was
   * sent there; the signed-in account, a "Not you?" line or a support address say nothing of the code.
   */
  const EMAIL_ADDRESS = new RegExp(
    String.raw`(?:\b(?:e-?mail(?: address)?|correo(?: electrónico)?|courriel|e-?post|adresse e-?mail)\s*:?\s*)?` +
      String.raw`[\p{L}\p{N}._%+*•-]+@[\p{L}\p{N}.*•-]+\.\p{L}{2,}`,
    'giu',
  );
  /** "Sent" in the detector's languages, as stems: "We sent a code to <address>", "an <address> gesendet". */
  const SENT = new RegExp(
    String.raw`\bsent\b|\bsend\b|e-?mailed|\bmailed|envi(?:ad|amos|é|e)|envoy|gesendet|geschickt` +
      '|inviat|verzonden|verstuurd|gestuurd|отправ|выслан|надісл|wysła|gönder|zaslá|zasla' +
      '|posla|odesla|odosla|skicka|sendt|lähetet|στάλ|απεστάλ|发送|發送|寄送|送信|전송|보냈|trimis|küld' +
      '|dikirim|dihantar|gửi|ส่ง|kirim|hantar',
    'iu',
  );

  /**
   * Whether the page says a code was sent to this address (its label, "Email:", included: an account's
   * "Email address: a@b.c" is no channel, and goes with it).
   * @param {string} address @param {number} at @param {string} text
   */
  function sentTo(address, at, text) {
    if (/[*•]/.test(address)) return true;
    return (
      SENT.test(text.slice(Math.max(0, at - 60), at)) ||
      SENT.test(text.slice(at + address.length, at + address.length + 25))
    );
  }
  /** A masked phone number ("+1 ••• ••• 1234", "(***) ***-12 34"): the code went by SMS. */
  const MASKED_PHONE = /(?:\+\d{1,3}[\s-]*)?[(]?[*•xX·]{2,}[)]?(?:[\s-]*[*•xX·\d]{2,}){0,3}[\s-]*\d{2,4}\b/gu;

  /**
   * Normalises page text for matching: " two factor token 6 " (padded with spaces).
   * @param {string | null | undefined} text
   */
  function words(text) {
    if (!text) return ' ';
    const s = text.slice(0, 2000).normalize('NFC');
    const marked = s.includes('@')
      ? s.replace(EMAIL_ADDRESS, (m, at, all) => (sentTo(m, at, all) ? ' e mail ' : ' '))
      : s;
    return ` ${(/[*•·]|xx/i.test(marked) ? marked.replace(MASKED_PHONE, ' sms ') : marked)
      .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
      .replace(/(\p{L})(\p{N})/gu, '$1 $2')
      .replace(/(\p{N})(\p{L})/gu, '$1 $2')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
      .trim()} `;
  }

  /** Where `re` first matches `text`, or -1. @param {string} text @param {RegExp} re */
  function find(text, re) {
    re.lastIndex = 0;
    const m = re.exec(text);
    return m ? m.index : -1;
  }

  /** @param {string} text normalised by `words` @param {RegExp} re */
  function has(text, re) {
    return find(text, re) >= 0;
  }

  /**
   * Names a one-time code: a code phrase, a code stem in a name, or a plain "code" said to come from
   * an authenticator app or to have been sent by text or e-mail ("il codice generato dall'app di
   * autenticazione", "de code die we per sms hebben gestuurd", "the code that was sent to your
   * email"): in any language, what an app generates or a service sends is a one-time code. A phone
   * number field ("We'll send a code to this number") is still told apart by its own words.
   * @param {string} text normalised by `words`
   */
  function namesCode(text) {
    if (has(text, RE.code) || CODE_STEMS.test(text)) return true;
    if (!has(text, RE.weak)) return false;
    return has(text, RE.app) || (SENT.test(text) && (has(text, RE.sms) || has(text, RE.email)));
  }

  /**
   * Names a secret that comes by text message ("Clave SMS", "SMS-Passwort", "SMS PIN", "mot de
   * passe SMS"): what is texted is a one-time code, whatever the page calls it. For a field's own
   * text and label only: a masked phone number in prose also reads " sms " (see `words`).
   * @param {string} text normalised by `words`
   */
  function namesTextedSecret(text) {
    const tokens = text.trim().split(' ');
    const at = tokens.indexOf('sms');
    if (at < 0) return false;
    const around = ` ${tokens.slice(Math.max(0, at - 3), at + 3).join(' ')} `;
    return has(around, RE.notUnlessCode) || has(around, RE.weak);
  }

  /** Names a one-time code in words no look-alike uses. @param {string} text normalised by `words` */
  function namesCodeSpecifically(text) {
    return namesCode(text.replace(RE.generic, ' '));
  }

  /**
   * Words that offer a spare code beside the one-time code itself ("6-digit authentication code/8-digit
   * backup code"): the field takes the one-time code, and no other look-alike word is there.
   * @param {string} text normalised by `words`
   */
  function offersSpare(text) {
    // "Auth/Backup Code" reads "auth code" without its spare.
    const rest = text.replace(RE.spare, 'code');
    return rest !== text && !has(rest, RE.not) && namesCodeSpecifically(rest);
  }

  /**
   * Says it is something other than a one-time code (a card, a captcha, a promo, a lone backup code).
   * @param {string} text normalised by `words`
   */
  function saysOther(text) {
    return has(text, RE.not) && !offersSpare(text);
  }

  /** @param {string} text normalised by `words` */
  function isLookAlike(text) {
    if (saysOther(text)) return true;
    if (namesCode(text)) return false;
    return has(text, RE.notUnlessCode) || has(text, RE.phone);
  }

  /**
   * Where the text says the code comes from: the channel named first ("We texted you a code. Or use
   * your authenticator app" is SMS), null when it names none.
   * @param {string} text normalised by `words` @returns {Channel | null}
   */
  function channelIn(text) {
    /** @type {Channel | null} */
    let best = null;
    let at = Infinity;
    for (const [channel, re] of /** @type {const} */ ([
      ['app', RE.app],
      ['sms', RE.sms],
      ['email', RE.email],
    ])) {
      const i = find(text, re);
      if (i >= 0 && i < at) {
        at = i;
        best = channel;
      }
    }
    return best;
  }

  /** The closest text that names a channel wins. @param {string[]} texts nearest first @returns {Channel} */
  function channelOf(texts) {
    for (const text of texts) {
      const channel = channelIn(text);
      if (channel) return channel;
    }
    return 'unknown';
  }

  /** @type {Record<Channel, DetectedGroup['code']>} */
  const CODE_OF_CHANNEL = { app: 'totp', sms: 'sms', email: 'email', unknown: 'either' };

  /** @param {Element} el */
  function rootOf(el) {
    const root = el.getRootNode();
    return root instanceof ShadowRoot || root instanceof Document ? root : el.ownerDocument;
  }

  /**
   * Hidden by markup alone (no layout): `type=hidden`, `hidden`, aria-hidden, inert, here or on an
   * ancestor, shadow hosts included.
   * @param {HTMLInputElement} input
   */
  function isHiddenByMarkup(input) {
    if (input.type === 'hidden') return true;
    const HIDING = '[hidden], [aria-hidden="true"], [inert]';
    for (let node = /** @type {Element | null} */ (input); node; ) {
      if (node.closest(HIDING)) return true;
      const root = node.getRootNode();
      node = root instanceof ShadowRoot ? root.host : null;
    }
    return false;
  }

  // --- Whether a person can see a field ------------------------------------------------------------
  // A page that wants a code without the person seeing it go in can hide the field in many ways.
  // What the browser lets us judge: display and visibility, size, position (off the page, or off a
  // window that cannot scroll there), opacity (the field's times its ancestors', `filter:
  // opacity()` included), clipping (`overflow` hidden or clip, `clip`, `clip-path: inset()` and
  // empty shapes), and what lies on top at the centre of what is left of it (hit testing, across
  // open shadow roots), where only something that paints over most of the field hides it: labels and
  // placeholders laid over a field are small or transparent. Not caught: a field styled to draw
  // nothing (no border, background or text colour), and a cover the hit test passes through
  // (`pointer-events: none`) over a field whose clipping we cannot judge otherwise.

  /** Below this opacity (the field's own times its ancestors') a field counts as invisible. */
  const MIN_OPACITY = 0.1;
  /** Below this size, in CSS pixels, a field (or what clipping leaves of it) cannot be seen. */
  const MIN_SIZE = 4;
  /** Fields drawn but hidden from the person in the last `detect`: they may show later. */
  let hiddenByLayout = 0;

  /**
   * The element a node is rendered inside: its slot when slotted, its parent, or its shadow host.
   * @param {Element} el @returns {Element | null}
   */
  function flatParent(el) {
    if (el.assignedSlot) return el.assignedSlot;
    if (el.parentElement) return el.parentElement;
    const parent = el.parentNode;
    return parent instanceof ShadowRoot ? parent.host : null;
  }

  /** How much `filter: opacity(…)` lets through (1 with none). @param {string} filter */
  function filterOpacity(filter) {
    if (filter === 'none' || !filter.includes('opacity(')) return 1;
    let alpha = 1;
    for (const m of filter.matchAll(/opacity\(\s*([\d.]+)(%?)\s*\)/g))
      alpha *= Math.min(1, Number(m[1]) / (m[2] ? 100 : 1));
    return alpha;
  }

  /** @param {string} value a computed length (px or %) @param {number} of what 100% is */
  function length(value, of) {
    const n = parseFloat(value);
    if (!Number.isFinite(n)) return 0;
    return value.trim().endsWith('%') ? (n / 100) * of : n;
  }

  /**
   * The area `clip-path` leaves of an element's box, in viewport coordinates: `inset()` and empty
   * circles and ellipses are judged; `undefined` for other shapes (left to hit testing).
   * @param {string} clipPath @param {DOMRect} box
   * @returns {{left: number, top: number, right: number, bottom: number} | null | undefined}
   */
  function clipPathArea(clipPath, box) {
    const inset = /^inset\(([^)]*)\)/.exec(clipPath);
    if (inset) {
      const v = inset[1]
        .split(/\s+round\s+/)[0]
        .trim()
        .split(/\s+/);
      const [t, r = t, b = t, l = r] = v;
      return {
        left: box.left + length(l, box.width),
        top: box.top + length(t, box.height),
        right: box.right - length(r, box.width),
        bottom: box.bottom - length(b, box.height),
      };
    }
    const round = /^(?:circle|ellipse)\(\s*([\d.]+(?:px|%)?)(?:\s+([\d.]+(?:px|%)?))?/.exec(clipPath);
    if (round && length(round[1], box.width) < 1 && length(round[2] ?? round[1], box.height) < 1) return null;
    return undefined;
  }

  /** A box with nothing left of it. @param {{left: number, top: number, right: number, bottom: number}} r */
  function tooSmall(r) {
    return r.right - r.left < MIN_SIZE || r.bottom - r.top < MIN_SIZE;
  }

  /**
   * @param {{left: number, top: number, right: number, bottom: number}} a
   * @param {{left: number, top: number, right: number, bottom: number}} b
   */
  function intersect(a, b) {
    return {
      left: Math.max(a.left, b.left),
      top: Math.max(a.top, b.top),
      right: Math.min(a.right, b.right),
      bottom: Math.min(a.bottom, b.bottom),
    };
  }

  /**
   * The field's exposure through its ancestors: their opacity (product), what clipping leaves of
   * the field (viewport coordinates; null when nothing), and whether a clip was of a shape only hit
   * testing can judge.
   * @param {HTMLInputElement} input @param {DOMRect} rect @param {Window} view
   */
  function exposure(input, rect, view) {
    let opacity = 1;
    let left = { left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom };
    let unjudged = false;
    // Absolutely positioned and fixed boxes escape the overflow of the ancestors between them and
    // their containing block (a positioned or transformed ancestor; a transformed one for fixed).
    let escaping = view.getComputedStyle(input).position;
    for (let node = flatParent(input); node; node = flatParent(node)) {
      const style = view.getComputedStyle(node);
      opacity *= Number(style.opacity) * filterOpacity(style.filter);
      if (opacity < MIN_OPACITY) return { opacity, area: null, unjudged };
      // Whether this ancestor is the containing block of the box escaping so far.
      const transformed = style.transform !== 'none';
      const isBlock =
        escaping === 'fixed'
          ? transformed
          : escaping === 'absolute'
            ? transformed || style.position !== 'static'
            : true;
      const clipsOverflow = (/** @type {string} */ v) => v === 'hidden' || v === 'clip';
      if (
        isBlock &&
        (clipsOverflow(style.overflowX) || clipsOverflow(style.overflowY)) &&
        node !== node.ownerDocument.documentElement &&
        node !== node.ownerDocument.body
      ) {
        const box = node.getBoundingClientRect();
        const inner = {
          left: box.left + node.clientLeft,
          top: box.top + node.clientTop,
          right: box.left + node.clientLeft + node.clientWidth,
          bottom: box.top + node.clientTop + node.clientHeight,
        };
        left = intersect(left, {
          left: clipsOverflow(style.overflowX) ? inner.left : -Infinity,
          right: clipsOverflow(style.overflowX) ? inner.right : Infinity,
          top: clipsOverflow(style.overflowY) ? inner.top : -Infinity,
          bottom: clipsOverflow(style.overflowY) ? inner.bottom : Infinity,
        });
      }
      if (style.clipPath !== 'none') {
        const area = clipPathArea(style.clipPath, node.getBoundingClientRect());
        if (area === null) return { opacity, area: null, unjudged };
        if (area) left = intersect(left, area);
        else unjudged = true;
      }
      if (tooSmall(left)) return { opacity, area: null, unjudged };
      if (isBlock && (escaping === 'absolute' || escaping === 'fixed')) escaping = style.position;
    }
    return { opacity, area: left, unjudged };
  }

  /**
   * The field's own clipping (`clip` when positioned, `clip-path`).
   * @param {CSSStyleDeclaration} style
   * @param {DOMRect} rect
   */
  function ownClip(style, rect) {
    let area = { left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom };
    let unjudged = false;
    const clip = /^rect\(([^)]*)\)/.exec(style.clip);
    if (clip && (style.position === 'absolute' || style.position === 'fixed')) {
      const [t, r, b, l] = clip[1].split(/[\s,]+/);
      const edge = (/** @type {string} */ v, /** @type {number} */ auto) => (v === 'auto' ? auto : parseFloat(v));
      area = intersect(area, {
        left: rect.left + edge(l, 0),
        top: rect.top + edge(t, 0),
        right: rect.left + edge(r, rect.width),
        bottom: rect.top + edge(b, rect.height),
      });
    }
    if (style.clipPath !== 'none') {
      const shape = clipPathArea(style.clipPath, rect);
      if (shape === null) return { area: null, unjudged };
      if (shape) area = intersect(area, shape);
      else unjudged = true;
    }
    return { area: tooSmall(area) ? null : area, unjudged };
  }

  /**
   * What the hit test finds at a point: the deepest element, through open shadow roots.
   * @param {Document} doc @param {number} x @param {number} y
   */
  function elementAt(doc, x, y) {
    let hit = doc.elementFromPoint(x, y);
    while (hit?.shadowRoot) {
      const inner = hit.shadowRoot.elementFromPoint(x, y);
      if (!inner || inner === hit) break;
      hit = inner;
    }
    return hit;
  }

  /** Whether `ancestor` holds `el` in the rendered (flat) tree. @param {Element} ancestor @param {Element} el */
  function holds(ancestor, el) {
    for (let node = /** @type {Element | null} */ (el); node; node = flatParent(node))
      if (node === ancestor) return true;
    return false;
  }

  /**
   * Whether an element paints over what is under it: a background, an image or other replaced
   * content, or another control.
   * @param {Element} el @param {Window} view
   */
  function paints(el, view) {
    if (el.matches('img, video, canvas, iframe, object, embed, svg, input, textarea, select, button')) return true;
    const style = view.getComputedStyle(el);
    if (Number(style.opacity) * filterOpacity(style.filter) < 0.5) return false;
    if (style.backgroundImage !== 'none') return true;
    const alpha = /rgba?\(([^)]*)\)/.exec(style.backgroundColor);
    const parts = alpha ? alpha[1].split(/[\s,/]+/).filter(Boolean) : [];
    return parts.length < 4 ? style.backgroundColor !== 'transparent' : Number(parts[3]) >= 0.5;
  }

  /**
   * Whether something else is on top at the centre of what is left of the field and hides it: the
   * hit test finds the field itself, or something that does not paint over most of the field (a
   * label or placeholder laid over it). `null` when the point cannot be tested (outside the window,
   * or the field lets the hit test through).
   * @param {HTMLInputElement} input @param {{left: number, top: number, right: number, bottom: number}} area @param
   *   {Window} view
   */
  function covered(input, area, view) {
    const doc = input.ownerDocument;
    const inView = intersect(area, { left: 0, top: 0, right: view.innerWidth, bottom: view.innerHeight });
    if (inView.right <= inView.left || inView.bottom <= inView.top) return null;
    if (view.getComputedStyle(input).pointerEvents === 'none') return null;
    const hit = elementAt(doc, (inView.left + inView.right) / 2, (inView.top + inView.bottom) / 2);
    if (!hit) return null;
    if (hit === input || holds(input, hit)) return false;
    // Something under the field at its own centre: the field is cut away there.
    if (holds(hit, input)) return true;
    const field = input.getBoundingClientRect();
    const fieldArea = field.width * field.height;
    for (let node = /** @type {Element | null} */ (hit); node && !holds(node, input); node = flatParent(node)) {
      const r = node.getBoundingClientRect();
      const over = intersect(r, field);
      const share = (Math.max(0, over.right - over.left) * Math.max(0, over.bottom - over.top)) / fieldArea;
      if (share >= 0.5 && paints(node, view)) return true;
    }
    return false;
  }

  /**
   * Seen: a person can see it. Unrendered: not drawn at all (display, visibility, no size). Unseen: drawn, but hidden
   * from the person.
   */
  const SEEN = 0;
  const UNRENDERED = 1;
  const UNSEEN = 2;

  /**
   * Whether a person can see the field (see above); a transparent field counts only when it lies
   * over drawn boxes.
   * @param {HTMLInputElement} input @returns {SEEN | UNRENDERED | UNSEEN}
   */
  function visibility(input) {
    const view = input.ownerDocument.defaultView;
    if (!view) return UNRENDERED;
    if (!input.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true })) return UNRENDERED;
    const style = view.getComputedStyle(input);
    if (style.display === 'none' || style.visibility !== 'visible') return UNRENDERED;
    const rect = input.getBoundingClientRect();
    if (rect.width < MIN_SIZE || rect.height < MIN_SIZE) return UNRENDERED;
    if (offPage(rect, view)) return UNSEEN;
    const own = ownClip(style, rect);
    if (!own.area) return UNSEEN;
    const through = exposure(input, rect, view);
    if (through.opacity < MIN_OPACITY || !through.area) return UNSEEN;
    const area = intersect(own.area, through.area);
    if (tooSmall(area)) return UNSEEN;
    const hidden = covered(input, area, view);
    if (hidden === true) return UNSEEN;
    // A clip of a shape we cannot judge counts only when the hit test found the field.
    if ((own.unjudged || through.unjudged) && hidden === null) return UNSEEN;
    if (Number(style.opacity) * filterOpacity(style.filter) * through.opacity < MIN_OPACITY) {
      return overDrawnBoxes(input, rect, view) ? SEEN : UNSEEN;
    }
    return SEEN;
  }

  /** @param {HTMLInputElement} input */
  function isVisible(input) {
    return visibility(input) === SEEN;
  }

  /**
   * Whether every field is seen; counts the ones drawn but hidden, which may show later with no
   * change the content script's observers see (a banner removed, a fade-in ending).
   * @param {HTMLInputElement[]} fields
   */
  function allSeen(fields) {
    const worst = Math.max(...fields.map(visibility));
    if (worst === UNSEEN) hiddenByLayout++;
    return worst === SEEN;
  }

  /**
   * Off the page (where no scrolling reaches), or off a window that cannot scroll that way.
   * @param {DOMRect} rect @param {Window} view
   */
  function offPage(rect, view) {
    const doc = view.document.documentElement;
    const left = rect.left + view.scrollX;
    const top = rect.top + view.scrollY;
    if (left + rect.width <= 0 || top + rect.height <= 0) return true;
    if (left >= Math.max(doc.scrollWidth, view.innerWidth) || top >= Math.max(doc.scrollHeight, view.innerHeight))
      return true;
    if (rect.right > 0 && rect.bottom > 0 && rect.left < view.innerWidth && rect.top < view.innerHeight) return false;
    // Outside the window: there only if the page scrolls that way (overflow of the root, or of
    // the body when the root's is visible).
    const root = view.getComputedStyle(doc);
    const body = view.document.body ? view.getComputedStyle(view.document.body) : root;
    const scrolls = (/** @type {'overflowX' | 'overflowY'} */ axis) => {
      const v = root[axis] === 'visible' ? body[axis] : root[axis];
      return v !== 'hidden' && v !== 'clip';
    };
    return (
      (!scrolls('overflowX') && (rect.left >= view.innerWidth || rect.right <= 0)) ||
      (!scrolls('overflowY') && (rect.top >= view.innerHeight || rect.bottom <= 0))
    );
  }

  /**
   * The "one transparent input over drawn boxes" widget: at least 4 visible, box-sized elements
   * (not holding the input) whose centres lie inside the input's area, within 3 ancestors.
   * @param {HTMLInputElement} input @param {DOMRect} rect @param {Window} view
   */
  function overDrawnBoxes(input, rect, view) {
    let node = parentOf(input);
    for (let level = 0; node && level < 3; level++, node = parentOf(node)) {
      const elements = node.querySelectorAll(':scope > *, :scope > * > *');
      if (elements.length > 80) return false;
      let boxes = 0;
      for (const el of elements) {
        if (el === input || el.contains(input) || el.matches('input, select, textarea')) continue;
        const r = el.getBoundingClientRect();
        const cx = r.left + r.width / 2;
        const cy = r.top + r.height / 2;
        const inside = cx >= rect.left - 4 && cx <= rect.right + 4 && cy >= rect.top - 4 && cy <= rect.bottom + 4;
        if (!inside || r.width < 8 || r.height < 8 || r.width >= rect.width / 2) continue;
        const style = view.getComputedStyle(el);
        if (style.visibility === 'visible' && Number(style.opacity) * filterOpacity(style.filter) >= MIN_OPACITY)
          boxes++;
      }
      if (boxes >= MIN_BOXES && boxes <= MAX_BOXES * 2) return true;
    }
    return false;
  }

  /**
   * A field a code could be typed into, judged on markup only: a text-like type, not read-only,
   * not hidden by attributes. Disabled fields pass (some are enabled by a "Send code" button).
   * @param {HTMLInputElement} input
   */
  function isTextLike(input) {
    const type = (input.getAttribute('type') || 'text').toLowerCase();
    return TEXT_TYPES.has(type) && !input.readOnly && !isHiddenByMarkup(input);
  }

  /**
   * The text of elements an attribute refers to by id (aria-labelledby, aria-describedby).
   * @param {HTMLInputElement} input @param {string} attribute
   */
  function referencedText(input, attribute) {
    const ids = (input.getAttribute(attribute) || '').split(/\s+/).filter(Boolean).slice(0, 5);
    const root = rootOf(input);
    return ids.map((id) => (id === input.id ? '' : root.getElementById(id)?.textContent || '')).join(' ');
  }

  /** What the field says about itself. @param {HTMLInputElement} input */
  function ownText(input) {
    return words(
      ['id', 'name', 'placeholder', 'aria-label', 'title', 'data-testid']
        .map((a) => input.getAttribute(a) || '')
        .join(' '),
    );
  }

  /** Its labels: <label for>, a wrapping <label>, aria-labelledby. @param {HTMLInputElement} input */
  function labelText(input) {
    const wrapping = input.closest('label');
    const byFor = input.id ? labelsFor(rootOf(input)).get(input.id) || '' : '';
    const labels = `${wrapping ? wrapping.textContent : ''} ${byFor}`;
    return words(`${labels} ${referencedText(input, 'aria-labelledby')}`);
  }

  /**
   * <label for> texts per tree, built once per `detect` (input.labels scans the whole tree each time).
   * @type {WeakMap<Document | ShadowRoot, Map<string, string>>}
   */
  let labelCache = new WeakMap();

  /** @param {Document | ShadowRoot} root */
  function labelsFor(root) {
    let map = labelCache.get(root);
    if (!map) {
      map = new Map();
      for (const label of root.querySelectorAll('label[for]')) {
        const id = label.getAttribute('for') || '';
        map.set(id, `${map.get(id) || ''} ${label.textContent || ''}`);
      }
      labelCache.set(root, map);
    }
    return map;
  }

  /**
   * The label of the widget around a row of boxes: the closest ancestor (within 3) with aria-label or
   * aria-labelledby (`<div role="group" aria-label="Verification code">`).
   * @param {Element} el
   */
  function groupLabel(el) {
    let node = parentOf(el);
    for (let level = 0; node && level < 3; level++, node = parentOf(node)) {
      const label = node.getAttribute('aria-label');
      if (label) return label;
      const ids = node.getAttribute('aria-labelledby');
      if (ids)
        return ids
          .split(/\s+/)
          .slice(0, 5)
          .map((id) => rootOf(node ?? el).getElementById(id)?.textContent || '')
          .join(' ');
    }
    return '';
  }

  /** Types of input that are not fields a person types into. */
  const NOT_FIELDS = new Set([
    'hidden',
    'checkbox',
    'radio',
    'submit',
    'button',
    'reset',
    'image',
    'file',
    'range',
    'color',
  ]);

  /**
   * For each field, the fields just before and after it in document order, so "does this ancestor
   * hold another field?" is two `contains` calls instead of a query. Built once per `detect`.
   * @type {Map<HTMLInputElement, {prev?: HTMLInputElement, next?: HTMLInputElement}>}
   */
  let neighbours = new Map();

  /** @param {HTMLInputElement[]} inputs every input, in document order */
  function indexNeighbours(inputs) {
    neighbours = new Map();
    const fields = inputs.filter((i) => !NOT_FIELDS.has(i.type));
    fields.forEach((f, i) => {
      neighbours.set(f, { prev: fields[i - 1], next: fields[i + 1] });
    });
  }

  /**
   * Whether `node` holds a field other than first…last (the fields a group stands for).
   * @param {Element} node @param {HTMLInputElement} first @param {HTMLInputElement} last
   */
  function holdsOtherField(node, first, last) {
    const prev = neighbours.get(first)?.prev;
    const next = neighbours.get(last)?.next;
    return (
      (!!prev && node.contains(prev)) || (!!next && node.contains(next)) || !!node.querySelector('select, textarea')
    );
  }

  /** Not text a person reads: scripts and styles (a page's inline script near a field, or an injected one). */
  const NOT_TEXT = 'script, style, noscript, template';
  /** Buttons and links: they offer other ways ("Send the code by SMS instead"), not this field's channel. */
  const CONTROLS = `button, a, [role=button], [role=link], select, ${NOT_TEXT}`;

  /**
   * An element's text; with `prose`, leaving out buttons and links; with `until`, only what comes
   * before that node.
   * @param {Element} node @param {boolean} prose @param {Node | null} [until]
   */
  function textOf(node, prose, until = null) {
    const skip = prose ? CONTROLS : NOT_TEXT;
    if (!until && !node.querySelector(skip)) return node.textContent || '';
    let text = '';
    const walker = node.ownerDocument.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t && text.length < 600; t = walker.nextNode()) {
      if (until && until.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING) break;
      const control = t.parentElement?.closest(skip);
      if (!control || !node.contains(control)) text += ` ${t.nodeValue}`;
    }
    return text;
  }

  /**
   * Text near the field that belongs to it alone ("OTP: <input>"): the text of the closest
   * ancestor, within 3 levels, that holds no other field.
   * @param {HTMLInputElement} first @param {HTMLInputElement} last the group's first and last field
   * @param {boolean} [prose] no buttons or links
   */
  function nearbyText(first, last = first, prose = false) {
    let node = parentOf(first);
    let text = '';
    for (let level = 0; node && level < 3; level++, node = parentOf(node)) {
      if (holdsOtherField(node, first, last)) {
        if (level === 0) text = segmentText(first, last);
        break;
      }
      text = textOf(node, prose);
    }
    return words(text.slice(0, 300));
  }

  /**
   * The group's own stretch of a flat container that holds other fields too (`<form>` with its
   * inputs side by side): the prose between the previous field and the group, and the prose after
   * it when no field follows there (else that text is the next field's label).
   * @param {HTMLInputElement} first @param {HTMLInputElement} last
   */
  function segmentText(first, last) {
    /** @param {Node} n */
    const holdsField = (n) => n instanceof Element && (n.matches(TYPED) || n.querySelector(TYPED) !== null);
    /** @param {Node} n */
    const piece = (n) =>
      n.nodeType === Node.TEXT_NODE ? n.nodeValue : n instanceof Element && !n.matches(CONTROLS) ? textOf(n, true) : '';
    let before = '';
    for (let n = first.previousSibling; n && !holdsField(n); n = n.previousSibling) before = `${piece(n)} ${before}`;
    let after = '';
    for (let n = last.nextSibling; n; n = n.nextSibling) {
      if (holdsField(n)) return before;
      after += ` ${piece(n)}`;
    }
    return `${before} ${after}`;
  }

  /**
   * The way the step has chosen: the label of a checked radio (or ARIA radio) among the step's
   * options ("○ Text message ● Authenticator app"). The page's text lists every way; the choice
   * says which one this code comes by.
   * @param {HTMLInputElement} first @param {HTMLInputElement} last
   */
  function chosenText(first, last) {
    let node = parentOf(first);
    for (let level = 0; node && level < 10 && node !== node.ownerDocument.body; level++, node = parentOf(node)) {
      if (holdsOtherField(node, first, last)) break;
      const checked = node.querySelector('input[type=radio]:checked, [role=radio][aria-checked=true]');
      if (!checked) continue;
      const label =
        checked instanceof HTMLInputElement && checked.labels?.length
          ? checked.labels[0]
          : checked.closest('label, li, tr, [role=radio]');
      return words(`${checked.getAttribute('aria-label') ?? ''} ${label ? textOf(label, true) : ''}`);
    }
    return ' ';
  }

  /**
   * What the step says before the fields: the prose, up to the first field, of the widest ancestor
   * within 10 levels that holds no other field (the card whose header may stand outside the form).
   * For the channel, when nothing closer names one; what follows the fields offers other ways
   * ("Problem receiving the OTP on e-mail? Receive it on your mobile").
   * @param {HTMLInputElement} first @param {HTMLInputElement} last
   */
  function stepText(first, last) {
    let node = parentOf(first);
    let step = null;
    for (let level = 0; node && level < 10 && node !== node.ownerDocument.body; level++, node = parentOf(node)) {
      if (holdsOtherField(node, first, last)) break;
      step = node;
    }
    if (!step) return ' ';
    // The field, or the shadow host that holds it in the step's own tree: where its text ends.
    /** @type {Node} */
    let at = first;
    for (
      let root = at.getRootNode();
      root instanceof ShadowRoot && root !== step.getRootNode();
      root = at.getRootNode()
    )
      at = root.host;
    return words(textOf(step, true, at));
  }

  /** The parent element, or the shadow host for the top of a shadow tree. @param {Element} el */
  function parentOf(el) {
    const parent = el.parentNode;
    return parent instanceof ShadowRoot ? parent.host : el.parentElement;
  }

  const HEADINGS = 'h1, h2, h3, h4, h5, h6, legend, [role=heading]';

  /**
   * Heading texts found in an element, memoised per `detect` (fields of a long form share them).
   * @type {WeakMap<Element, string | null>}
   */
  let headingCache = new WeakMap();

  /** @param {Element} el */
  function headingIn(el) {
    let text = headingCache.get(el);
    if (text === undefined) {
      const heading = el.matches(HEADINGS) ? el : el.querySelector(HEADINGS);
      text = heading ? words(heading.textContent) : null;
      headingCache.set(el, text);
    }
    return text;
  }

  /**
   * The closest heading or legend before the field (within 6 ancestors, 6 siblings each).
   * @param {Element} el
   */
  function headingText(el) {
    let node = /** @type {Element | null} */ (el);
    for (let level = 0; node && level < 6; level++, node = parentOf(node)) {
      if (node.matches('legend') || node.matches('fieldset')) {
        const legend = node.matches('fieldset') ? node.querySelector(':scope > legend') : node;
        if (legend) return words(legend.textContent);
      }
      let sibling = node.previousElementSibling;
      for (let i = 0; sibling && i < 6; i++, sibling = sibling.previousElementSibling) {
        const heading = headingIn(sibling);
        if (heading) return heading;
      }
    }
    return ' ';
  }

  /**
   * What the page says just before the field ("We sent a code to your phone"): text of earlier
   * siblings, climbing 5 ancestors, up to 300 characters, back to the previous field.
   * @param {HTMLInputElement} el @param {boolean} [prose] no buttons or links
   */
  function introText(el, prose = false) {
    const prev = neighbours.get(el)?.prev;
    let text = '';
    let node = /** @type {Element | null} */ (el);
    for (let level = 0; node && level < 5 && text.length < 300; level++, node = parentOf(node)) {
      let sibling = node.previousElementSibling;
      for (let i = 0; sibling && i < 4 && text.length < 300; i++, sibling = sibling.previousElementSibling) {
        // What comes before the previous field is about that field.
        if (prev && (sibling === prev || sibling.contains(prev))) return words(text.slice(-300));
        if (sibling.matches('input, select, textarea, script, style') || (prose && sibling.matches(CONTROLS))) continue;
        text = `${textOf(sibling, prose)} ${text}`;
      }
    }
    return words(text.slice(-300));
  }

  /**
   * The text before the fields; when it names no code, with what the whole step says before them:
   * deep wrappers (Google's) keep the step's words beyond `introText`'s reach.
   * @param {HTMLInputElement} first @param {HTMLInputElement} last
   */
  function textBefore(first, last) {
    const intro = introText(first);
    return namesCode(intro) ? intro : `${intro}${stepText(first, last)}`;
  }

  /** Markup that draws a captcha next to a field (the image itself is often loaded by script). */
  const CAPTCHA_MARKUP =
    '[class*=captcha i], [id*=captcha i], [class*=checkcode i], [class*=code-img i], [class*=code_img i], ' +
    '[class*=codeimg i], [class*=verify-img i]';

  /**
   * What is drawn next to the field: 'captcha' markup, an 'image', or nothing.
   * @param {HTMLInputElement} el @returns {'captcha' | 'image' | null}
   */
  function pictureNearby(el) {
    const parent = el.parentElement;
    const box = parent?.parentElement && !holdsOtherField(parent.parentElement, el, el) ? parent.parentElement : parent;
    if (!box || !parent) return null;
    if (box.querySelector(CAPTCHA_MARKUP)) return 'captcha';
    // A captcha image sits beside the field (in its wrapper) or after it; an image before it in the
    // surrounding box is the site's logo over the form.
    for (const img of box.querySelectorAll('img, canvas, svg image')) {
      if (parent.contains(img) || el.compareDocumentPosition(img) & Node.DOCUMENT_POSITION_FOLLOWING) return 'image';
    }
    return null;
  }

  /**
   * Scores evidence that text around a field (or a group) names a one-time code.
   * `prose` is `near` without its buttons and links: they offer other ways in ("Use a recovery
   * code instead", "Apply a coupon"), so they never warn of a look-alike.
   * @param {{own: string, label: string, near: string, prose: string, heading: string, intro: string,
   *   autocomplete: boolean, texted?: boolean, boosters: number, picture: 'captcha' | 'image' | null}} e
   * @returns {{score: number, reasons: string[]} | null} null for a look-alike
   */
  function score(e) {
    const reasons = [];
    // A field that declares itself a one-time code may still offer "or a backup code".
    const vetoes = (/** @type {string} */ t) =>
      e.autocomplete ? has(t, RE.not) && !namesCode(t) : e.texted ? saysOther(t) || has(t, RE.phone) : isLookAlike(t);
    if (vetoes(e.own) || vetoes(e.label)) return null;
    // A captcha says so in the text next to the field, whatever the field is called.
    if (!e.autocomplete && has(e.prose, RE.not) && !namesCode(e.own) && !namesCode(e.label)) return null;
    // Under a look-alike heading ("Check your gift card balance") a field needs more than a generic "4-digit code".
    if (
      !e.autocomplete &&
      has(e.heading, RE.not) &&
      !namesCode(e.heading) &&
      !namesCodeSpecifically(e.own) &&
      !namesCodeSpecifically(e.label)
    )
      return null;
    // Captcha markup next to it outweighs a name like "verifyCode": only a declared one-time code or a label stands.
    if (e.picture === 'captcha' && !e.autocomplete && !namesCode(e.label)) return null;
    let s = 0;
    if (e.autocomplete) {
      s += 1;
      reasons.push('autocomplete=one-time-code');
    }
    if (namesCode(e.own)) {
      s += 0.6;
      reasons.push('its name or id names a code');
    }
    if (namesCode(e.label)) {
      s += 0.5;
      reasons.push('its label names a code');
    }
    if (e.texted) {
      s += 0.6;
      reasons.push('its name or label says it comes by text message');
    }
    // Short text that belongs to the field alone ("OTP: <input>") is a label in all but markup.
    if (namesCode(e.near)) {
      s += e.near.length <= 60 ? 0.5 : 0.3;
      reasons.push('text next to it names a code');
    }
    if (namesCode(e.heading)) {
      s += 0.3;
      reasons.push('the heading names a code');
    }
    if (s < 0.3 && namesCode(e.intro)) {
      s += 0.2;
      reasons.push('the text before it names a code');
    }
    // "Enter code" under a heading that names the step is the common SPA markup with no telling attributes;
    // a field labelled only "Code" in a card that says "Enter the 6-digit code we just sent" too.
    const close = `${e.own}${e.label}${e.near}`;
    const mine = `${e.own}${e.label}`;
    const says = (/** @type {string} */ t) => !namesCode(t) && has(t, RE.weak);
    if (says(close) || says(mine)) {
      s += 0.3;
      reasons.push('it says "code"');
    }
    if (s > 0 && e.boosters > 0) {
      s += e.boosters;
      reasons.push('numeric, code-sized');
    }
    // Warnings nearby ("backup code", a card form) weaken, but never outweigh, clear signals.
    // Beside a field whose own words name a code, a phone or PIN word in the heading is where the code
    // went or what it unlocks ("Verify your phone" over "Enter the code sent to •••• 4421"); a captcha,
    // card or promo word still warns.
    const besideCode = e.texted || namesCodeSpecifically(close) || (namesCode(close) && channelIn(close) !== null);
    const warns = (/** @type {string} */ t) => (besideCode ? saysOther(t) : isLookAlike(t));
    if (warns(e.prose) || warns(e.heading)) {
      s -= 0.3;
      reasons.push('look-alike words nearby');
    }
    if (e.picture === 'image' && !e.autocomplete && !namesCode(e.own) && !namesCode(e.label)) {
      s -= 0.3;
      reasons.push('an image next to it (captcha?)');
    }
    return { score: Math.max(0, Math.min(1, s)), reasons };
  }

  /** Code-shaped hints: numeric keyboard, digits pattern, 4-8 characters. @param {HTMLInputElement} input */
  function boosters(input) {
    let b = 0;
    const mode = (input.getAttribute('inputmode') || '').toLowerCase();
    if (mode === 'numeric' || mode === 'decimal' || input.type === 'tel' || input.type === 'number') b += 0.1;
    if (/^\[0-9\]|^\\d/.test(input.getAttribute('pattern') || '')) b += 0.05;
    if (input.maxLength >= 4 && input.maxLength <= 10) b += 0.1;
    return b;
  }

  /** @param {HTMLInputElement} input */
  function autocompleteOf(input) {
    return (input.getAttribute('autocomplete') || '').toLowerCase();
  }

  // --- Two-factor setup steps --------------------------------------------------------------------
  // An app turning on two-factor shows a new key (as a QR code, an otpauth:// link, or the key as
  // text) and asks for the first code to confirm it. That is no sign-in: the code of an account
  // saved before is the wrong one. The class is a code field next to a displayed key; wording
  // ("scan", "set up", "secret key") is needed beside a QR image or key text, not beside a link.

  /**
   * Setup wording, per language, in the normalised form of `words()` (`*`: any ending): `setup`
   * names setting a key up; `scan` only asks to scan (a sign-in page may offer "scan to sign in").
   */
  const SETUP_VOCAB = {
    en: {
      setup: [
        'set up',
        'setup',
        'set it up',
        'enable',
        'turn on',
        'activate',
        'configure',
        'secret key',
        'setup key',
        'manual entry',
        'enter manually',
        'manually configure',
        'enter this key',
        'can t scan',
        'cannot scan',
        'unable to scan',
        'to finish',
      ],
      scan: ['scan*', 'qr code'],
    },
    de: {
      setup: ['einrichten', 'einrichtung', 'aktivieren', 'geheimer schlüssel', 'manuell eingeben'],
      scan: ['scannen', 'scanne', 'gescannt'],
    },
    fr: {
      setup: ['configurer', 'configuration', 'activer', 'clé secrète', 'clé de configuration', 'saisie manuelle'],
      scan: ['scannez', 'scanner'],
    },
    es: {
      setup: ['configurar', 'configuración', 'activar', 'clave secreta', 'clave de configuración'],
      scan: ['escanea', 'escanee', 'escanear'],
    },
    pt: {
      setup: ['configurar', 'configuração', 'ativar', 'chave secreta', 'chave de configuração'],
      scan: ['escaneie', 'digitalize', 'leia o código'],
    },
    it: {
      setup: ['configura', 'configurare', 'attiva', 'attivare', 'chiave segreta'],
      scan: ['scansiona', 'scansionare'],
    },
    nl: { setup: ['instellen', 'activeren', 'geheime sleutel'], scan: ['scannen', 'scan'] },
    pl: { setup: ['skonfiguruj', 'konfiguracja', 'włącz', 'tajny klucz'], scan: ['zeskanuj', 'skanuj'] },
    ru: {
      setup: ['настройте', 'настройка', 'настроить', 'включить', 'секретный ключ'],
      scan: ['отсканируйте', 'сканируйте'],
    },
    ja: { setup: ['設定', 'セットアップ', 'シークレットキー', '有効'], scan: ['スキャン', '読み取'] },
    zh: { setup: ['设置', '設定', '启用', '啟用', '密钥', '密鑰'], scan: ['扫描', '掃描'] },
    ko: { setup: ['설정', '활성화', '비밀 키'], scan: ['스캔'] },
    tr: { setup: ['kurulum', 'etkinleştir', 'gizli anahtar'], scan: ['tarayın', 'tara'] },
    sv: { setup: ['ställ in', 'aktivera', 'hemlig nyckel'], scan: ['skanna'] },
    cs: { setup: ['nastavit', 'aktivovat', 'tajný klíč'], scan: ['naskenujte'] },
  };
  const SETUP_WORDS = compile('setup', SETUP_VOCAB);
  const SCAN_WORDS = compile('scan', SETUP_VOCAB);
  /** An otpauth:// URI: a key by definition. */
  const OTPAUTH = /otpauth:\/\/[^\s"'<>]{4,600}/i;
  /** A base32 key as pages print it: 16+ characters, maybe in groups of 4 ("abcd efgh …"). */
  const KEY_TEXT = /^(?:[A-Za-z2-7]{4}[ -]?){4,40}[A-Za-z2-7]{0,3}=*$/;
  /** Markup naming a QR code. */
  const QR_MARKUP =
    'img[alt*=qr i], img[src*=qr i], img[class*=qr i], img[id*=qr i], [aria-label*=qr i], [class*=qr i] img, ' +
    '[id*=qr i] img, [class*=qr i] svg, [id*=qr i] svg, [class*=qr i] canvas, [id*=qr i] canvas, svg[class*=qr i], ' +
    'canvas[class*=qr i], canvas[id*=qr i], img[alt*=otpauth i], img[src*=otpauth i]';

  /** Whether a text reads as a base32 key. @param {string} text */
  function isKeyText(text) {
    const t = text.trim();
    if (t.length < 16 || t.length > 200 || !KEY_TEXT.test(t)) return false;
    const compact = t.replace(/[\s=-]/g, '');
    // Random base32 almost always has a digit; without one, only an upper- or lower-case run that
    // is no word (words are shorter than 16 letters and not grouped in fours).
    return /[2-7]/.test(compact) ? /[A-Za-z]/.test(compact) : compact.length >= 16 && /[ -]/.test(t);
  }

  /**
   * The key an element shows, as text: an otpauth:// URI (in its text, a link, an image's source
   * or a data attribute), else a base32 key in a text node or a read-only field; null when none.
   * @param {Element} node
   */
  function shownKey(node) {
    const text = node.textContent || '';
    const inText = OTPAUTH.exec(text.slice(0, 20_000));
    if (inText) return inText[0];
    for (const el of node.querySelectorAll('a[href], img[src], [data-uri], [data-otpauth], [data-value], [value]')) {
      for (const attr of ['href', 'src', 'data-uri', 'data-otpauth', 'data-value', 'value']) {
        const m = OTPAUTH.exec(el.getAttribute(attr) || '');
        if (m) return m[0];
      }
    }
    const walker = node.ownerDocument.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let t = walker.nextNode(); t && seen < 500; t = walker.nextNode(), seen++) {
      if (t.parentElement?.closest(NOT_TEXT)) continue;
      const value = t.nodeValue || '';
      if (value.length >= 16 && isKeyText(value)) return value.trim();
    }
    for (const field of node.querySelectorAll('input[readonly], textarea[readonly]')) {
      const value = /** @type {HTMLInputElement} */ (field).value;
      if (isKeyText(value)) return value.trim();
    }
    return null;
  }

  /**
   * Whether the fields sit on a two-factor setup step, and the key it shows as text (a hostile
   * page's claim like any other: it only stops codes of saved accounts, and the key is a suggestion
   * the person checks in Latchkey's popup). Looks at the closest ancestors (up to 6) until one
   * shows a key or a QR code.
   * @param {HTMLInputElement} first @returns {{setup: boolean, key: string | null}}
   */
  function setupOf(first) {
    let node = parentOf(first);
    for (let level = 0; node && level < 6; level++, node = parentOf(node)) {
      const key = shownKey(node);
      const qr = node.querySelector(QR_MARKUP) !== null;
      if (!key && !qr) {
        if (node === node.ownerDocument.body) break;
        continue;
      }
      if (key && /^otpauth:/i.test(key)) return { setup: true, key };
      // A QR code needs words about setting up; a key as text, words about setting up or scanning.
      const text = words(textOf(node, false).slice(0, 2000));
      const setup = has(text, SETUP_WORDS) || (key !== null && has(text, SCAN_WORDS));
      return { setup, key: setup ? key : null };
    }
    return { setup: false, key: null };
  }

  /**
   * @param {'single' | 'segmented'} kind @param {HTMLInputElement[]} fields in DOM order
   * @param {{score: number, reasons: string[]}} result @param {string[]} ownTexts the fields' own words, nearest first
   * @param {string} heading
   * @returns {DetectedGroup}
   */
  function group(kind, fields, result, ownTexts, heading) {
    const first = fields[0];
    // The channel from the closest text that names one; prose only, as buttons offer the other channels.
    let channel = channelOf([
      ...ownTexts,
      chosenText(first, fields[fields.length - 1]),
      nearbyText(first, fields[fields.length - 1], true),
      introText(first, true),
      heading,
    ]);
    if (channel === 'unknown') channel = channelOf([stepText(first, fields[fields.length - 1])]);
    // "Phone number, then the code" with no word on the channel: the code is texted to that number.
    const prev = neighbours.get(first)?.prev;
    if (channel === 'unknown' && prev && isPhoneField(prev)) channel = 'sms';
    // A setup step shows a TOTP key and asks for its code: the code comes from an app.
    const { setup, key } = setupOf(first);
    if (setup) channel = 'app';
    return {
      kind,
      fields,
      confidence: Math.round(result.score * 100) / 100,
      reason: result.reasons.join('; '),
      channel,
      code: CODE_OF_CHANNEL[channel],
      disabled: fields.some((f) => f.disabled),
      setup,
      setupKey: key,
    };
  }

  /** @param {HTMLInputElement} input @returns {DetectedGroup | null} */
  function judgeSingle(input) {
    const ac = autocompleteOf(input);
    const isOtc = /\bone-time-code\b/.test(ac);
    if (!isOtc && OTHER_AUTOCOMPLETE.test(ac)) return null;
    if (input.maxLength > 0 && input.maxLength < 4) return null;
    let own = ownText(input);
    const label = labelText(input);
    const texted = !namesCode(own) && !namesCode(label) && (namesTextedSecret(own) || namesTextedSecret(label));
    // A password-type field is a code only when it says so itself (AWS's MFA code, Bitwarden's, "Clave SMS").
    if (input.type === 'password' && !isOtc && !texted && !namesCode(own) && !namesCode(label)) return null;
    // A name like `pin` or `verifyPin` is a static PIN, unless the words around the field speak of a
    // code sent by text or e-mail or shown by an app ("Enter the code we texted you").
    if (!isOtc && isLookAlike(own) && !has(own, RE.not) && !isLookAlike(label) && codeWithChannelAround(input, label))
      own = ' ';
    // "Clave SMS" is no password: a texted secret sets aside the password and PIN words, not a
    // captcha's, a promo's or a phone number's ("SMS login: your mobile number").
    const lookAlike = (/** @type {string} */ t) => (texted ? saysOther(t) || has(t, RE.phone) : isLookAlike(t));
    if (!isOtc && (lookAlike(own) || lookAlike(label))) return null;
    const near = nearbyText(input);
    const boost = boosters(input);
    // Cheap exit for the many fields that say nothing of a code: a heading alone (0.3) needs code-shaped hints to reach
    // the threshold.
    const close = `${own}${label}${near}`;
    if (!isOtc && !texted && boost === 0 && !namesCode(close) && !has(close, RE.weak)) return null;
    // A card's security code ("Security code", "CSC") sits beside the card's number or expiry date:
    // there a field is a one-time code only when it says so in words no card form uses. After the
    // cheap exit: it reads the other fields of the form, or of the whole section without one.
    if (!isOtc && !texted && !namesCodeSpecifically(`${own}${label}`) && besideCardFields(input)) return null;
    const heading = headingText(input);
    const intro = textBefore(input, input);
    const picture = pictureNearby(input);
    const prose = nearbyText(input, input, true);
    const e = { own, label, near, prose, heading, intro, autocomplete: isOtc, texted, boosters: boost, picture };
    let result = score(e);
    if (result && result.score < THRESHOLD && !isOtc) result = bareStep(input, e) || result;
    if (!result || result.score < THRESHOLD || !allSeen([input])) return null;
    return group('single', [input], result, [own, label, words(referencedText(input, 'aria-describedby'))], heading);
  }

  /** A payment card's number or expiry date, in a field's own words or label (normalised by `words`). */
  const CARD_FIELD = new RegExp(
    ' (?:card ?(?:number|no|num)|cardnumber|cc ?(?:number|num|exp)|credit ?card' +
      String.raw`|expir\p{L}*|exp ?date|mm yy|valid thru) `,
    'u',
  );

  /**
   * Whether another field of the input's form (or, without a form, of its section) is a payment
   * card's number or expiry date.
   * @param {HTMLInputElement} input
   */
  function besideCardFields(input) {
    const scope = input.form ?? input.closest('fieldset, section, [role=form], main') ?? input.ownerDocument.body;
    if (!scope) return false;
    for (const other of scope.querySelectorAll('input')) {
      if (other === input || !other.matches(TYPED)) continue;
      if (/\bcc-(?:number|exp|exp-month|exp-year|name)\b/.test(autocompleteOf(other))) return true;
      if (CARD_FIELD.test(`${ownText(other)}${labelText(other)}`)) return true;
    }
    return false;
  }

  /**
   * Whether the words around a field name a one-time code and where it comes from (an app, a text,
   * an e-mail): the field's label, its nearby text, the text before it, its heading.
   * @param {HTMLInputElement} input @param {string} label
   */
  function codeWithChannelAround(input, label) {
    const text = `${label}${nearbyText(input)}${textBefore(input, input)}${headingText(input)}`;
    return namesCode(text) && channelIn(text) !== null;
  }

  /** Inputs a person types into (not hidden, not buttons): what "the only field of the form" counts. */
  const TYPED =
    'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image])' +
    ':not([type=checkbox]):not([type=radio]), select, textarea';
  /** A control that submits its form. */
  const SUBMIT = 'button:not([type=button]):not([type=reset]), input[type=submit], input[type=image]';

  /** The form a field sits in, looked for up through shadow hosts. @param {HTMLInputElement} input */
  function formAround(input) {
    for (let node = parentOf(input); node; node = parentOf(node)) {
      if (node instanceof HTMLFormElement) return node;
    }
    return null;
  }

  /** A form, its action or its id naming the step: `/login/mfa`, `challenge-form`, `otpForm`. */
  const FLOW = /mfa|2fa|otp|two.?factor|second.?factor|challenge|verif|step.?up|passcode|sms/i;
  /** A code-shaped placeholder: "••••••", "000000", "123456", "_ _ _ _ _ _". */
  const CODE_PLACEHOLDER = /^[\s•·*0-9_–-]{4,12}$/;

  /**
   * The bare step: right after the password, one short field and a submit button under a heading
   * like "Verify" or nothing but the logo. Decided from the form's shape and the page's flow: the
   * field is the form's only one, shaped like a code (numeric keyboard, digits pattern, 4 to 8
   * characters, a placeholder of dots, or its own name saying code); a submit control; and the step
   * named somewhere (heading, title, button, the form's action or id, a carried-over username).
   * Nothing around it may read as a look-alike (a PIN, a postal code, a captcha, a card, a phone
   * number).
   * @param {HTMLInputElement} input
   * @param {{own: string, label: string, near: string, prose: string, heading: string, intro: string,
   *   picture: 'captcha' | 'image' | null}} e
   * @returns {{score: number, reasons: string[]} | null}
   */
  function bareStep(input, e) {
    const type = (input.getAttribute('type') || 'text').toLowerCase();
    if (type === 'password' || e.picture) return null;
    const max = input.maxLength;
    if (max > 10) return null;
    const mode = (input.getAttribute('inputmode') || '').toLowerCase();
    const numeric =
      type === 'tel' ||
      type === 'number' ||
      mode === 'numeric' ||
      mode === 'decimal' ||
      /^\[0-9\]|^\\d/.test(input.getAttribute('pattern') || '');
    const sized = max >= 4 && max <= 8;
    const placeholder = (input.getAttribute('placeholder') || '').trim();
    // A field whose own name or label says code (`name=code`, `otp`, "Code") is shaped by that,
    // whatever its length.
    const ownCode = (type === 'text' || numeric) && [e.own, e.label].some((t) => namesCode(t) || has(t, RE.weak));
    const codeShaped =
      (numeric && (sized || max < 0)) || (sized && type === 'text') || CODE_PLACEHOLDER.test(placeholder) || ownCode;
    if (!codeShaped || (placeholder && !CODE_PLACEHOLDER.test(placeholder) && !namesCode(words(placeholder))))
      return null;
    if (isPhoneField(input)) return null;
    for (const t of [e.own, e.label, e.prose, e.heading]) if (isLookAlike(t)) return null;
    const title = words(input.ownerDocument.title);
    if (has(e.intro, RE.not) || has(title, RE.not)) return null;
    // The only field of its form (or, without a form, of its close surroundings), with a submit
    // control. A field in a widget's shadow root has no form outside it (`input.form` stops at the
    // root): its form is the nearest one up through the hosts, and fields and buttons are looked
    // for in the open shadow roots under it too.
    const form = input.form || formAround(input);
    const parent = parentOf(input);
    const box = form || (parent && parentOf(parent));
    if (!box) return null;
    // Fields a person could type into: the sign-in's username or password kept undrawn in the step's
    // form (for password managers) is no second field, and says the flow is a sign-in's.
    // (The field itself is judged by allSeen later: one look at each other field here.)
    let carried = 0;
    const fields = collectDeep(box, TYPED, /** @type {Element[]} */ ([])).filter((f) => {
      if (f === input) return true;
      const seen = visibility(/** @type {HTMLInputElement} */ (f));
      if (carriesSignIn(f) && seen !== SEEN) carried++;
      else if (seen !== UNRENDERED) return true;
      return false;
    });
    if (fields.length !== 1 || fields[0] !== input) return null;
    const [submit] = collectDeep(box, SUBMIT, /** @type {Element[]} */ ([]));
    if (!submit) return null;
    const button = words(submit.textContent || submit.getAttribute('value') || submit.getAttribute('aria-label'));
    if (isLookAlike(button)) return null;
    // The step named: words, or the flow (the form's action or id, a username carried from the previous step).
    const named = [e.heading, title, button, e.intro, e.near].some(
      (t) => has(t, RE.step) || namesCode(t) || has(t, RE.code),
    );
    const flow =
      !!form &&
      (FLOW.test(
        `${form.getAttribute('action') || ''} ${form.id} ${form.getAttribute('name') || ''} ${form.className}`,
      ) ||
        !!form.querySelector(
          'input[type=hidden][name*=user i], input[type=hidden][name*=login i], input[type=hidden][name*=email i]',
        ) ||
        carried > 0);
    // A numeric field of a code's usual length (6) under a sign-in title is a code step too (an
    // account or customer number is longer, and says so); a plain text one needs words.
    const signIn = numeric && max === 6 && /\b(?:sign|log) ?in\b|\blogin\b/.test(`${title}${e.heading}${button}`);
    if (!named && !flow && !signIn) return null;
    return {
      score: THRESHOLD,
      reasons: [
        `a bare step: the form's only field, code-shaped, with a submit button${flow ? ', in a sign-in flow' : ''}`,
      ],
    };
  }

  /**
   * A field of the sign-in itself: a password, or a username or e-mail by its autocomplete.
   * @param {Element} field
   */
  function carriesSignIn(field) {
    if (!(field instanceof HTMLInputElement)) return false;
    return field.type === 'password' || /\b(?:username|current-password|email)\b/.test(autocompleteOf(field));
  }

  /**
   * A phone-number field: declared by autocomplete, or named so without naming a code.
   * @param {HTMLInputElement} input
   */
  function isPhoneField(input) {
    if (/\btel\b|\btel-national\b/.test(autocompleteOf(input))) return true;
    const text = `${ownText(input)}${labelText(input)}`;
    return has(text, RE.phone) && !namesCode(text);
  }

  /** A box sized for one character. @param {HTMLInputElement} input */
  function isBoxLike(input) {
    if (input.maxLength === 1 || input.maxLength === 2) return true;
    if (input.type === 'number' && input.max !== '' && Number(input.max) <= 9) return true;
    const r = input.getBoundingClientRect();
    return r.width > 0 && r.width <= 64 && r.width <= r.height * 1.6;
  }

  /**
   * Whether the boxes are numbered in sequence by id, name or aria-label (`otp-0`…`otp-5`, `d1`…`d6`,
   * "1-6"…"6-6", "Digit 1 of 6"…).
   * @param {HTMLInputElement[]} boxes
   */
  function isNumberedSequence(boxes) {
    for (const attr of ['id', 'name', 'aria-label', 'data-index']) {
      const numbers = boxes.map((b) => {
        const m = /(\d+)\D*(?:of\s*\d+|-\s*\d+)?\D*$/i.exec(b.getAttribute(attr) || '');
        return m ? Number(m[1]) : NaN;
      });
      if (numbers.every((n, i) => Number.isFinite(n) && (i === 0 || n === numbers[i - 1] + 1))) return true;
    }
    return false;
  }

  /**
   * Some ancestor of `a`, within 4 levels, holds `b`: through shadow roots, so boxes that are a
   * shadow root's own children (a code widget's custom element) share their host.
   * @param {Element} a @param {Element} b
   */
  function shareCloseAncestor(a, b) {
    /** @type {Set<Element>} */
    const close = new Set();
    let node = parentOf(a);
    for (let depth = 1; node && depth <= 4; depth++, node = parentOf(node)) close.add(node);
    for (let up = parentOf(b); up; up = parentOf(up)) if (close.has(up)) return true;
    return false;
  }

  /** @param {HTMLInputElement} a @param {HTMLInputElement} b */
  function alike(a, b) {
    return a.type === b.type && a.maxLength === b.maxLength && a.className === b.className;
  }

  /**
   * A first box that takes a pasted code (a longer or no maxlength) before one-character boxes drawn
   * the same size: widgets do this so that a paste fills every box.
   * @param {HTMLInputElement} a @param {HTMLInputElement} b
   */
  function pasteBox(a, b) {
    if (a.type !== b.type || a.className !== b.className || b.maxLength !== 1 || a.maxLength === 1) return false;
    const ra = a.getBoundingClientRect();
    const rb = b.getBoundingClientRect();
    return rb.width > 0 && Math.abs(ra.width - rb.width) <= 2 && Math.abs(ra.height - rb.height) <= 2;
  }

  /**
   * Runs of alike inputs next to each other, sharing a close ancestor: candidate box groups.
   * @param {HTMLInputElement[]} inputs text-like inputs in document order
   */
  function runs(inputs) {
    /** @type {HTMLInputElement[][]} */
    const out = [];
    /** @type {HTMLInputElement[]} */
    let run = [];
    for (const input of inputs) {
      const prev = run[run.length - 1];
      const fits = prev && (alike(prev, input) || (run.length === 1 && pasteBox(prev, input)));
      if (fits && shareCloseAncestor(prev, input)) {
        run.push(input);
      } else {
        if (run.length >= MIN_BOXES) out.push(run);
        run = [input];
      }
    }
    if (run.length >= MIN_BOXES) out.push(run);
    return out;
  }

  /**
   * Boxes in the order a person reads the code: rows top to bottom, each left to right. Digits run
   * left to right in right-to-left scripts too, so the page's direction, CSS `order` and
   * `flex-direction: row-reverse` change the DOM order but not this one.
   * @param {HTMLInputElement[]} boxes
   */
  function visualOrder(boxes) {
    const placed = boxes.map((b) => ({ b, r: b.getBoundingClientRect() }));
    const rowTolerance = Math.max(4, placed[0].r.height / 2);
    return placed
      .sort((x, y) => (Math.abs(x.r.top - y.r.top) < rowTolerance ? x.r.left - y.r.left : x.r.top - y.r.top))
      .map((x) => x.b);
  }

  /** @param {HTMLInputElement[]} boxes @returns {DetectedGroup | null} */
  function judgeSegmented(boxes) {
    if (boxes.length < MIN_BOXES || boxes.length > MAX_BOXES) return null;
    const autocompletes = boxes.map(autocompleteOf);
    const isOtc = autocompletes.some((ac) => /\bone-time-code\b/.test(ac));
    if (!isOtc && autocompletes.some((ac) => OTHER_AUTOCOMPLETE.test(ac))) return null;
    let own = words(boxes.map((b) => ownText(b)).join(' '));
    const first = boxes[0];
    const label = words(`${boxes.map((b) => labelText(b)).join(' ')} ${groupLabel(first)}`);
    // Boxes named `pin0`…`pin5` under "the code we sent by SMS" take that code (see judgeSingle).
    if (!isOtc && isLookAlike(own) && !has(own, RE.not) && !isLookAlike(label) && codeWithChannelAround(first, label))
      own = ' ';
    const near = nearbyText(first, boxes[boxes.length - 1]);
    const heading = headingText(first);
    const intro = textBefore(first, boxes[boxes.length - 1]);
    // Rows of password boxes are PIN pads (a static PIN), unless they plainly say one-time code.
    if (first.type === 'password' && !isOtc && !namesCode(own) && !namesCode(label) && !namesCode(heading)) return null;
    // One-character boxes in a row are themselves a sign of a code widget.
    const boost = boxes.every((b) => b.maxLength === 1) ? 0.2 : 0.1;
    const prose = nearbyText(first, boxes[boxes.length - 1], true);
    const result = score({
      own,
      label,
      near,
      prose,
      heading,
      intro,
      autocomplete: isOtc,
      boosters: boost,
      picture: null,
    });
    if (!result || result.score < THRESHOLD) return null;
    // Layout only now, for a run that reads like a code.
    if (!allSeen(boxes)) return null;
    if (!boxes.every(isBoxLike) && !isNumberedSequence(boxes)) return null;
    result.reasons.unshift(`${boxes.length} one-character boxes`);
    const found = group('segmented', boxes, result, [own, label], heading);
    found.fields = visualOrder(boxes);
    return found;
  }

  /**
   * Every element under `root` matching `selector`, in document order per tree, including those in
   * open shadow roots.
   * @template {Element} E @param {Document | Element | ShadowRoot} root @param {string} selector @param {E[]} out
   */
  function collectDeep(root, selector, out) {
    for (const el of root.querySelectorAll(selector)) out.push(/** @type {E} */ (el));
    // Shadow hosts cannot be selected by CSS. getElementsByTagName is a cached live list, about 4×
    // cheaper than querySelectorAll('*') on a 10,000-element page; shadow roots lack it.
    const elements = root instanceof ShadowRoot ? root.querySelectorAll('*') : root.getElementsByTagName('*');
    for (let i = 0; i < elements.length; i++) {
      const shadow = elements[i].shadowRoot;
      if (shadow) collectDeep(shadow, selector, out);
    }
    return out;
  }

  /**
   * Finds the one-time-code fields under `root` (open shadow roots included), best first.
   * @param {Document | Element | ShadowRoot} [root]
   * @returns {DetectedGroup[]}
   */
  function detect(root = document) {
    labelCache = new WeakMap();
    headingCache = new WeakMap();
    hiddenByLayout = 0;
    const all = collectDeep(root, 'input', /** @type {HTMLInputElement[]} */ ([]));
    indexNeighbours(all);
    const inputs = all.filter(isTextLike);
    if (inputs.length === 0) return [];
    /** @type {DetectedGroup[]} */
    const groups = [];
    const grouped = new Set();
    for (const run of runs(inputs)) {
      const found = judgeSegmented(run);
      if (found) {
        groups.push(found);
        for (const b of run) grouped.add(b);
      }
    }
    for (const input of inputs) {
      if (grouped.has(input)) continue;
      const found = judgeSingle(input);
      if (found) groups.push(found);
    }
    return groups.sort((a, b) => b.confidence - a.confidence);
  }

  /** How many fields that read like a code the last `detect` left out as drawn but unseen (they may show later). */
  function lastHidden() {
    return hiddenByLayout;
  }

  globalThis.LatchkeyDetector = Object.freeze({ detect, isVisible, lastHidden });
})();

/**
 * The confidentiality terms every staff account accepts before its first access to personal data,
 * and again whenever they change (docs/STAFF-API.md). `TERMS_VERSION` is explicit and must change
 * with the text: terms.test.ts pins the text's SHA-256 to the version, so an edit without a new
 * version fails the tests.
 */
export const TERMS_VERSION = '2026-12-01';

export interface TermsText {
  readonly en: string;
  readonly zh: string;
}

export const TERMS_TEXT: TermsText = {
  en: [
    'Confidentiality undertaking for Epivault staff',
    '',
    '1. I will access personal data only for the epidemic-prevention purpose I state with each request, and only the records I need for my assigned work.',
    '2. I will not copy, photograph, screenshot, print, forward or share personal data outside Epivault, including through chat applications, e-mail or personal devices.',
    '3. I will reveal a masked field only when my work requires it, and I will give a true reason each time.',
    '4. I will not search for or look up relatives, acquaintances, public figures or myself, nor anyone I have no work reason to look up.',
    '5. I will keep my password and my authenticator device to myself, sign out when I leave my workstation, and report a lost device or a suspected leak to my supervisor at once.',
    '6. I know that every access is recorded in a tamper-evident audit log, reviewed by supervisors and auditors, and that misuse may lead to disciplinary action and to liability under the law on the protection of personal information.',
    '7. These obligations continue after my assignment or employment ends.',
  ].join('\n'),
  zh: [
    'Epivault 工作人员保密承诺',
    '',
    '一、我仅为每次请求中声明的疫情防控目的访问个人信息，且仅访问本人工作所需的记录。',
    '二、我不在 Epivault 之外复制、拍照、截屏、打印、转发或传播个人信息，包括通过聊天软件、电子邮件或个人设备。',
    '三、我仅在工作确需时查看被遮蔽的字段，并每次如实填写理由。',
    '四、我不查询亲属、熟人、公众人物或本人的信息，也不查询任何没有工作理由查询的人。',
    '五、我妥善保管本人的密码和身份验证设备，离开工作站时退出登录；设备丢失或疑似泄露时立即报告主管。',
    '六、我知悉每一次访问都记录在防篡改的审计日志中，并由主管和审计人员审查；滥用可能导致纪律处分，并依照个人信息保护相关法律承担责任。',
    '七、上述义务在本人工作任务或聘用关系结束后继续有效。',
  ].join('\n'),
};

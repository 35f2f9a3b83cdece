export { ApiKeyRepository } from './api-key-repository.js';
export { CallRepository } from './call-repository.js';
export { ContactRepository, type ContactPage } from './contact-repository.js';
export { MessageRepository, type InboundText, type SendIntent } from './message-repository.js';
export { PhoneNumberRepository } from './phone-number-repository.js';
export { ProvisioningRepository } from './provisioning-repository.js';
export { MAX_RECENT_PAGE, type RecentPage } from './newest-per-sub-account.js';
export { firstPerParent, pageSize, MAX_PAGE, type KeyPage } from './first-per-parent.js';

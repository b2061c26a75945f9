// The hidden frame of silent renewal, used only when the provider gave no refresh token.
import { UserManager } from 'oidc-client-ts';

void new UserManager({ authority: '', client_id: '', redirect_uri: '' }).signinSilentCallback();

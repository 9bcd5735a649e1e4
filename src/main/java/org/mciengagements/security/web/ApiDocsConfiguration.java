package org.mciengagements.security.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.mciengagements.security.CurrentUser;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI description at {@code /v3/api-docs}, explored at {@code /api-explorer}. */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

    static {
        // The caller is resolved from the credentials, never sent as a parameter.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(CurrentUser.class);
    }

    @Bean
    OpenAPI mciOpenApi() {
        return new OpenAPI()
                .info(new Info().title("MCI Engagements API").version("v1")
                        .description("Partners nominate customers for engagements, collect consent and carry claims "
                                + "to payout. Errors are application/problem+json with a stable `code` and per-field "
                                + "`errors`."))
                .components(new Components().addSecuritySchemes("basic",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")))
                .addSecurityItem(new SecurityRequirement().addList("basic"));
    }
}
